"""Writing a register file to the database in chunks, inside one transaction.

Any error in any row rolls everything back, and so does a dry run, so a dry run reports exactly
what an import would do.
"""

import datetime
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.functions import Lower

from portal import audit

from .. import events
from ..certification import fiscal_year_of, valid_until_for
from ..models import (
    Certificate,
    Disqualification,
    DisqualificationGround,
    RegisterImport,
    User,
)
from ..models import today as local_today
from ..roles import COORDINATOR
from .invitations import send_invitations
from .reading import (
    CHUNK_SIZE,
    MAX_REPORTED_ROWS,
    ParsedRow,
    RegisterFileError,
    map_header,
    message,
    normalise,
    parse_row,
    prefecture_lookup,
    read_rows,
)


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class RowOutcome:
    row: int
    number: str
    action: str  # "create", "update", "unchanged", "error"
    detail: str = ""


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    counts: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    invited: int = 0
    record: RegisterImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run and self.rows > 0

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.action] += 1
        if len(self.outcomes) < MAX_REPORTED_ROWS:
            self.outcomes.append(outcome)


# Writing ------------------------------------------------------------------------------------------

USER_FIELDS = {
    "last_name": "family_name",
    "first_name": "given_name",
    "family_name_kana": "family_name_kana",
    "given_name_kana": "given_name_kana",
    "family_name_romaji": "family_name_romaji",
    "given_name_romaji": "given_name_romaji",
    "email": "email",
}


def _same_person(user: User, row: ParsedRow) -> bool:
    return (user.last_name, user.first_name) == (row.family_name, row.given_name)


def _apply_user_fields(user: User, row: ParsedRow) -> bool:
    changed = False
    for attr, column in USER_FIELDS.items():
        value = row.values[column]
        optional = column.endswith(("_kana", "_romaji")) or column == "given_name"
        if optional and not value:
            continue  # an empty optional cell leaves what the portal knows
        if getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    return changed


def _apply_certificate_fields(certificate: Certificate, row: ParsedRow) -> bool:
    wanted = {
        "issued_on": row.issued_on,
        "workplace": row.workplace,
        "workplace_prefecture_id": row.workplace_prefecture_id,
        "revoked_on": row.revoked_on if row.status == "revoked" else None,
        "revocation_reason": row.revocation_reason if row.status == "revoked" else "",
    }
    changed = False
    for attr, value in wanted.items():
        if getattr(certificate, attr) != value:
            setattr(certificate, attr, value)
            changed = True
    certificate.fiscal_year = fiscal_year_of(certificate.issued_on)
    certificate.valid_until = valid_until_for(certificate.issued_on)
    return changed


class _Importer:
    def __init__(self, report: ImportReport, today: datetime.date):
        self.report = report
        self.today = today
        self.numbers_seen: dict[str, int] = {}
        # Duplicate detection across the whole file: the only state that grows with the file,
        # kept to a number and a hash per row.
        self.emails_seen: dict[str, tuple[int, int]] = {}
        self.new_users: dict[str, User] = {}  # e-mail -> user created in the current chunk
        self.to_invite: list[User] = []  # new holders with a certificate in force, this chunk
        self.invite_ids: list[int] = []
        self.revoked: list[Certificate] = []
        self.unrevoked: list[Certificate] = []
        self.changed_holders: set[int] = set()
        self.usernames_taken: set[str] = set()

    def error(self, row: int, text: str, number: str = "") -> None:
        self.report.errors.append(RowError(row, text))
        self.report.add(RowOutcome(row, number, "error", text))

    def check_file_level(self, rows: list[ParsedRow]) -> list[ParsedRow]:
        good = []
        for row in rows:
            number, email = row.certificate_number, row.email
            if number:
                first = self.numbers_seen.get(number)
                if first is not None:
                    row.errors.append(message("duplicate_number", value=number, first=first))
                else:
                    self.numbers_seen[number] = row.row
            if email:
                person = hash((row.family_name, row.given_name))
                seen = self.emails_seen.get(email)
                if seen is not None and seen[1] != person:
                    row.errors.append(message("email_two_people", value=email, first=seen[0]))
                elif seen is None:
                    self.emails_seen[email] = (row.row, person)
            if row.errors:
                for text in row.errors:
                    self.error(row.row, text, number)
            else:
                good.append(row)
        return good

    def process_chunk(self, rows: list[ParsedRow]) -> None:
        rows = self.check_file_level(rows)
        if not rows:
            return
        certificates = {
            c.number: c
            for c in Certificate.objects.filter(
                number__in=[r.certificate_number for r in rows]
            ).select_related("holder")
        }
        emails = {r.email for r in rows}
        users_by_email = {
            u.email.lower(): u
            for u in User.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=emails
            )
        }
        holder_ids = {c.holder_id for c in certificates.values()} | {
            u.pk for u in users_by_email.values()
        }
        bars: dict[int, list[Disqualification]] = {}
        for bar in Disqualification.objects.filter(holder_id__in=holder_ids):
            bars.setdefault(bar.holder_id, []).append(bar)
        wanted_usernames = {r.certificate_number.lower() for r in rows}
        self.usernames_taken = set(
            User.objects.filter(username__in=wanted_usernames).values_list("username", flat=True)
        )

        users_to_create: list[User] = []
        users_to_update: dict[int, User] = {}
        certificates_to_create: list[tuple[Certificate, User]] = []
        certificates_to_update: list[Certificate] = []

        for row in rows:
            certificate = certificates.get(row.certificate_number)
            email_owner = users_by_email.get(row.email) or self.new_users.get(row.email)
            if certificate is not None:
                holder = users_to_update.get(certificate.holder_id, certificate.holder)
                if email_owner is not None and email_owner.pk != holder.pk:
                    self.error(
                        row.row, message("email_taken", value=row.email), row.certificate_number
                    )
                    continue
                user_changed = _apply_user_fields(holder, row)
                was_revoked = certificate.revoked_on is not None
                cert_changed = _apply_certificate_fields(certificate, row)
                if user_changed:
                    users_to_update[holder.pk] = holder
                if cert_changed:
                    certificates_to_update.append(certificate)
                    self.changed_holders.add(holder.pk)
                    if certificate.revoked_on and not was_revoked:
                        self.revoked.append(certificate)
                    elif was_revoked and not certificate.revoked_on:
                        self.unrevoked.append(certificate)
                action = "update" if (user_changed or cert_changed) else "unchanged"
                if user_changed:
                    self.report.counts["users_updated"] += 1
                if cert_changed:
                    self.report.counts["certificates_updated"] += 1
                self.report.add(RowOutcome(row.row, row.certificate_number, action))
                continue

            # A certificate number the portal does not know yet.
            if email_owner is not None:
                if not _same_person(email_owner, row):
                    self.error(
                        row.row, message("email_taken", value=row.email), row.certificate_number
                    )
                    continue
                holder = email_owner
                if holder.pk and _apply_user_fields(holder, row):
                    users_to_update[holder.pk] = holder
                    self.report.counts["users_updated"] += 1
            else:
                username = row.certificate_number.lower()
                if username in self.usernames_taken:
                    self.error(
                        row.row, message("username_taken", value=username), row.certificate_number
                    )
                    continue
                holder = User(username=username, is_active=True)
                holder.set_unusable_password()
                _apply_user_fields(holder, row)
                users_to_create.append(holder)
                self.new_users[row.email] = holder
                self.usernames_taken.add(username)
                self.report.counts["users_created"] += 1
            blocking = [
                bar
                for bar in bars.get(holder.pk, [])
                if bar.occurred_on <= row.issued_on < bar.barred_until
            ]
            if blocking:
                self.error(
                    row.row,
                    message("barred", value=blocking[0].barred_until.isoformat()),
                    row.certificate_number,
                )
                continue
            certificate = Certificate(number=row.certificate_number)
            _apply_certificate_fields(certificate, row)
            certificates_to_create.append((certificate, holder))
            if certificate.revoked_on:
                self.revoked.append(certificate)
            elif self.new_users.get(row.email) is holder and holder not in self.to_invite:
                self.to_invite.append(holder)
            self.report.counts["certificates_created"] += 1
            self.report.add(RowOutcome(row.row, row.certificate_number, "create"))

        self.new_users = {}
        invited, self.to_invite = self.to_invite, []
        if self.report.errors:
            return  # nothing will be kept: skip the writes, keep validating the rest of the file
        if users_to_create:
            User.objects.bulk_create(users_to_create, batch_size=CHUNK_SIZE)
            self.invite_ids.extend(user.pk for user in invited)
        if users_to_update:
            User.objects.bulk_update(list(users_to_update.values()), list(USER_FIELDS))
        for certificate, holder in certificates_to_create:
            certificate.holder_id = holder.pk
        if certificates_to_create:
            Certificate.objects.bulk_create(
                [c for c, _ in certificates_to_create], batch_size=CHUNK_SIZE
            )
            # Holders on the register take the Coordinator role (staff keep theirs as well).
            coordinators = Group.objects.get(name=COORDINATOR)
            coordinators.user_set.through.objects.bulk_create(
                [
                    coordinators.user_set.through(group_id=coordinators.pk, user_id=holder_id)
                    for holder_id in {h.pk for _, h in certificates_to_create}
                ],
                ignore_conflicts=True,
                batch_size=CHUNK_SIZE,
            )
        if certificates_to_update:
            Certificate.objects.bulk_update(
                certificates_to_update,
                [
                    "issued_on",
                    "fiscal_year",
                    "valid_until",
                    "workplace",
                    "workplace_prefecture",
                    "revoked_on",
                    "revocation_reason",
                ],
            )

    def finish(self) -> None:
        if self.unrevoked:
            Disqualification.objects.filter(
                certificate__in=self.unrevoked, ground=DisqualificationGround.RESCISSION
            ).delete()
        for certificate in self.revoked:
            Disqualification.objects.update_or_create(
                certificate=certificate,
                ground=DisqualificationGround.RESCISSION,
                defaults={
                    "holder_id": certificate.holder_id,
                    "occurred_on": certificate.revoked_on,
                    "note": certificate.revocation_reason,
                },
            )
            self.changed_holders.add(certificate.holder_id)


def import_register(
    data: bytes,
    *,
    filename: str,
    dry_run: bool,
    actor: User | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    today: datetime.date | None = None,
) -> ImportReport:
    """Validate and (unless ``dry_run``) import a register file. Nothing is kept on any error."""
    today = today or local_today()
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        total, rows = read_rows(data)
        header = next(rows, None)
        if header is None:
            raise RegisterFileError([message("empty_file")])
        mapping = map_header(header)
    except RegisterFileError as error:
        for text in error.messages:
            report.errors.append(RowError(1, text))
        return report
    if on_total:
        on_total(total)
    prefectures = prefecture_lookup()
    importer = _Importer(report, today)
    with transaction.atomic():
        chunk: list[ParsedRow] = []
        for row_number, raw in enumerate(rows, start=2):
            if not any(normalise(cell) for cell in raw):
                continue  # blank lines (Excel often leaves some at the end)
            chunk.append(parse_row(row_number, raw, mapping, prefectures, today))
            report.rows += 1
            if len(chunk) >= CHUNK_SIZE:
                importer.process_chunk(chunk)
                if progress:
                    progress(len(chunk))
                chunk = []
        if chunk:
            importer.process_chunk(chunk)
            if progress:
                progress(len(chunk))
        if report.rows == 0:
            report.errors.append(RowError(1, message("empty_file")))
        if report.errors or dry_run:
            transaction.set_rollback(True)
            return report
        importer.finish()
        report.record = RegisterImport.objects.create(
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by=actor,
            rows=report.rows,
            users_created=report.counts["users_created"],
            users_updated=report.counts["users_updated"],
            certificates_created=report.counts["certificates_created"],
            certificates_updated=report.counts["certificates_updated"],
            unchanged=report.counts["unchanged"],
        )
        audit.audit(
            report.record,
            audit.REGISTER_IMPORT,
            user=actor,
            data={
                "filename": filename,
                "rows": report.rows,
                **{key: report.counts[key] for key in _COUNT_KEYS},
            },
        )
        invite_ids = list(importer.invite_ids)
        changed = list(importer.changed_holders)
        transaction.on_commit(lambda: _after_import(invite_ids, changed))
    report.invited = len(importer.invite_ids)
    return report


_COUNT_KEYS = (
    "users_created",
    "users_updated",
    "certificates_created",
    "certificates_updated",
    "unchanged",
)


def _after_import(invite_ids: list[int], changed_holder_ids: list[int]) -> None:
    send_invitations(User.objects.filter(pk__in=invite_ids).order_by("pk"))
    for holder in User.objects.filter(pk__in=changed_holder_ids):
        events.certification_changed.send(sender=User, holder=holder)
