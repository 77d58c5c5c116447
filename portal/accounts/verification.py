"""Public verification of a certificate and its machine-readable badge.

The badge follows the shape of an Open Badges 3.0 ``OpenBadgeCredential`` (a W3C Verifiable
Credential). It is not signed: it is verified by fetching it from this portal over HTTPS, and its
``credentialStatus`` is the live register status.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from .models import Certificate, CertificateStatus, today

_NUMBER_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{2,31}$")
JST = datetime.timezone(datetime.timedelta(hours=9))

ACHIEVEMENT_NAME = "Support Coordinator for Foreign Nationals"
ACHIEVEMENT_NAME_JA = "外国人支援コーディネーター"
ISSUER_NAME = "Immigration Services Agency of Japan"
ISSUER_NAME_JA = "出入国在留管理庁"


def normalise_number(raw: str) -> str | None:
    number = unicodedata.normalize("NFKC", raw or "").strip().upper()
    return number if _NUMBER_RE.match(number) else None


def find_certificate(raw_number: str) -> Certificate | None:
    number = normalise_number(raw_number)
    if number is None:
        return None
    return Certificate.objects.select_related("holder").filter(number=number).first()


def public_status(certificate: Certificate, on: datetime.date | None = None) -> CertificateStatus:
    return certificate.status(on or today())


def holder_name(certificate: Certificate) -> str | None:
    """The holder's name, only when the holder allowed it."""
    holder = certificate.holder
    if not holder.show_name_on_verification:
        return None
    return holder.get_full_name()


def throttle_exceeded(client_key: str) -> bool:
    """Count one lookup for ``client_key``; True once it made too many in the current window."""
    limit, window = settings.PORTAL_VERIFY_RATE
    bucket = int(datetime.datetime.now(tz=datetime.UTC).timestamp()) // window
    key = f"verify-throttle:{client_key}:{bucket}"
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    return count > limit


def badge(certificate: Certificate) -> dict:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    page_url = base + reverse("verify", args=[certificate.number])
    status = public_status(certificate)
    subject = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": base + "/about-certification/",
            "type": ["Achievement"],
            "name": ACHIEVEMENT_NAME,
            "description": (
                "Certified by the Immigration Services Agency of Japan after completing the "
                "training for Support Coordinators for Foreign Nationals. / "
                "出入国在留管理庁による外国人支援コーディネーター養成研修の修了認定。"
            ),
            "criteria": {
                "narrative": (
                    "Completion of Training Program 1, practical exercises and Training Program 2, "
                    "and the completion test; valid for three years from 31 March of the fiscal "
                    "year of issue."
                )
            },
            "inLanguage": "ja",
        },
    }
    name = holder_name(certificate)
    if name:
        subject["name"] = name
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": base + reverse("verify_badge", args=[certificate.number]),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": ACHIEVEMENT_NAME,
        "issuer": {
            "id": base + "/",
            "type": ["Profile"],
            "name": f"{ISSUER_NAME} / {ISSUER_NAME_JA}",
        },
        "validFrom": datetime.datetime.combine(
            certificate.issued_on, datetime.time(0, 0), tzinfo=JST
        ).isoformat(),
        "validUntil": datetime.datetime.combine(
            certificate.valid_until, datetime.time(23, 59, 59), tzinfo=JST
        ).isoformat(),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": page_url,
            "type": "CertificateRegisterStatus",
            "status": str(status.value),
            "certificateNumber": certificate.number,
            "revokedOn": certificate.revoked_on.isoformat()
            if status == CertificateStatus.REVOKED
            else None,
            "checkedAt": datetime.datetime.now(tz=JST).replace(microsecond=0).isoformat(),
        },
    }
