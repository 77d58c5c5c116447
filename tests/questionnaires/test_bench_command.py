"""The parts of ``bench_questionnaire`` that decide whether its figures mean anything: the
questionnaire it builds, the random answers (valid, exercising every condition), the data it
prepares, its HTTP client and its percentiles. (The load run itself needs a server process that
cannot see the test database's transaction.)"""

import asyncio
import random
import statistics

import pytest
from django.conf import settings
from django.test import Client
from django.utils.datastructures import MultiValueDict

from portal.accounts.roles import COORDINATOR
from portal.questionnaires.bench.answers import (
    answer_pool,
    bench_questions,
    percentile,
    random_answers,
)
from portal.questionnaires.bench.data import (
    ensure_coordinators,
    ensure_index,
    ensure_questionnaire,
    login_session,
    page_path,
    reset_responses,
)
from portal.questionnaires.bench.load import HttpClient, run_load
from portal.questionnaires.forms import ResponseForm
from portal.questionnaires.models import (
    IdentifiedResponse,
    Mode,
    ResponseDraft,
    ResponseSheet,
    RosterEntry,
)
from portal.questionnaires.questions import OTHER, QuestionSet, Vocabulary, stream_errors

ALL_KINDS = {
    "single_choice",
    "multiple_choice",
    "likert",
    "number",
    "date",
    "short_text",
    "long_text",
    "prefecture",
    "field",
}


def test_percentile_interpolates_between_ranks():
    values = list(range(1, 101))
    random.Random(1).shuffle(values)
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0
    assert percentile([1, 2], 50) == 1.5
    timings = [random.Random(2).expovariate(0.1) for _ in range(500)]
    inclusive = statistics.quantiles(timings, n=100, method="inclusive")
    assert percentile(timings, 50) == pytest.approx(inclusive[49])
    assert percentile(timings, 95) == pytest.approx(inclusive[94])
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


@pytest.mark.django_db
def test_bench_questionnaire_has_30_questions_of_every_type_and_valid_conditions(
    make_questionnaire,
):
    page = make_questionnaire(bench_questions())
    questions = page.question_set
    assert len(questions) == 30
    assert {q.kind for q in questions} == ALL_KINDS
    conditions = [q.condition for q in questions if q.condition]
    assert len(conditions) >= 5
    assert {c.operator for c in conditions} == {"is", "includes", "at_least"}
    assert stream_errors(page.questions) == {}
    page.questions.stream_block.clean(page.questions)  # what the admin's form would check
    by_key = questions.by_key()
    # One condition depends on a question that is itself conditional.
    assert any(by_key[c.key].condition for c in conditions)


@pytest.mark.django_db
def test_random_answers_are_valid_and_exercise_every_condition(make_questionnaire):
    questions: QuestionSet = make_questionnaire(bench_questions()).question_set
    vocabulary = Vocabulary.get()
    rng = random.Random(5)
    shown_count = {q.key: 0 for q in questions if q.condition}
    hidden_count = dict(shown_count)
    chose_other = 0
    for _ in range(300):
        data = random_answers(questions, vocabulary, rng)
        form = ResponseForm(questions, vocabulary, data=MultiValueDict(data))
        assert form.is_valid(), form.errors.as_json()
        for question in questions:
            shown = form.shown[question.key]
            if question.condition:
                (shown_count if shown else hidden_count)[question.key] += 1
            if not shown:
                assert question.field_name not in data  # nothing typed into hidden questions
            elif question.required:
                assert question.field_name in data
        answered = {q.key for q in questions if form.shown[q.key] and q.field_name in data}
        assert {row["question"] for row in form.answer_rows()} == answered
        chose_other += any(str(OTHER) in values for values in data.values())
    assert all(shown_count.values()), shown_count
    assert all(hidden_count.values()), hidden_count
    assert chose_other


@pytest.mark.django_db
def test_pool_answers_are_stored_as_the_benchmark_expects(
    coordinator, client_for, make_questionnaire
):
    page = make_questionnaire(bench_questions())
    client = client_for(coordinator)
    pool = answer_pool(page.question_set, Vocabulary.get(), 6, seed=3)
    for fields, rows in pool:
        data = {"action": ["submit"]}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        response = client.post(page.url, data)
        assert response.status_code == 302
        assert response["Location"] == page.url
        sheet = IdentifiedResponse.objects.get(questionnaire=page, user=coordinator).sheet
        assert sheet.answers.count() == rows
    assert ResponseSheet.objects.filter(questionnaire=page).count() == 1


@pytest.mark.django_db
def test_prepared_data_is_idempotent_and_reset_keeps_the_audience():
    users = ensure_coordinators(3)
    assert [u.username for u in users] == [f"bench-coordinator-0{i}" for i in (1, 2, 3)]
    for user in users:
        assert user.certificate_status() == "valid"
        assert user.groups.filter(name=COORDINATOR).exists()
        assert not user.has_usable_password()
    again = ensure_coordinators(3)
    assert [u.pk for u in again] == [u.pk for u in users]
    assert sum(u.certificates.count() for u in again) == 3

    index = ensure_index()
    assert ensure_index().pk == index.pk
    page = ensure_questionnaire(index, users)
    assert page.live and page.is_open() and page.mode == Mode.IDENTIFIED
    assert page.slug.startswith("bench-")
    assert len(page.target_certificates.split()) == 3
    revisions = page.revisions.count()
    same = ensure_questionnaire(index, again)
    assert same.pk == page.pk
    assert same.revisions.count() == revisions  # nothing changed: not published again
    anonymous = ensure_questionnaire(index, users, anonymous=True)
    assert anonymous.pk != page.pk and anonymous.mode == Mode.ANONYMOUS

    reset_responses(page)
    assert RosterEntry.objects.filter(questionnaire=page).count() == 3
    ResponseDraft.objects.create(questionnaire=page, user=users[0], data={"q-days": ["3"]})
    fewer = ensure_questionnaire(index, users[:2])
    assert fewer.revisions.count() == revisions + 1
    reset_responses(fewer)
    assert not ResponseDraft.objects.filter(questionnaire=page).exists()
    assert RosterEntry.objects.filter(questionnaire=page).count() == 2


@pytest.mark.django_db
def test_session_made_by_the_benchmark_signs_the_coordinator_in():
    users = ensure_coordinators(1)
    page = ensure_questionnaire(ensure_index(), users)
    reset_responses(page)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = login_session(users[0])
    response = client.get(page_path(page))
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert b'data-part="questionnaire-form"' in response.content


def test_http_client_keeps_the_connection_and_cookies():
    seen = []

    async def handle(reader, writer):
        for reply in (
            b"HTTP/1.1 200 OK\r\nSet-Cookie: csrftoken=abc; Path=/\r\n"
            b"Set-Cookie: messages=x; Path=/\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
            b"HTTP/1.1 302 Found\r\nLocation: /q/\r\nContent-Length: 0\r\n"
            b'Set-Cookie: messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'
            b"\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
        ):
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            seen.append((head, await reader.readexactly(length)))
            writer.write(reply)
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = HttpClient("127.0.0.1", port, {"sessionid": "s1"})
        try:
            first = await client.request("GET", "/q/")
            cookies_after_first = dict(client.cookies)
            second = await client.request("POST", "/q/", [("a", "1"), ("q-x", "é")])
            third = await client.request("GET", "/q/")
        finally:
            await client.close()
            server.close()
            await server.wait_closed()
        return first, cookies_after_first, second, third, dict(client.cookies)

    first, cookies_after_first, second, third, cookies = asyncio.run(run())
    assert (first.status, first.body) == (200, b"hello world")
    assert cookies_after_first == {"sessionid": "s1", "csrftoken": "abc", "messages": "x"}
    assert second.status == 302 and second.header("location") == "/q/"
    assert (third.status, third.body) == (200, b"ok")
    assert cookies == {"sessionid": "s1", "csrftoken": "abc"}
    assert len(seen) == 3  # one connection for all three requests
    post_head, post_body = seen[1]
    assert post_head.startswith(b"POST /q/ HTTP/1.1\r\n")
    assert b"Cookie: sessionid=s1; csrftoken=abc; messages=x" in post_head
    assert b"Content-Type: application/x-www-form-urlencoded" in post_head
    assert post_body == b"a=1&q-x=%C3%A9"


def _canned_site(post_reply: bytes):
    """A stand-in site on loopback: the form on GET (with a success message after a POST),
    ``post_reply`` on POST. Returns (start coroutine, list of request lines)."""
    lines = []

    async def handle(reader, writer):
        posted = False
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    break
                request_line = head.split(b"\r\n")[0].decode()
                lines.append(request_line)
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = await reader.readexactly(length)
                if request_line.startswith("POST"):
                    assert b"csrfmiddlewaretoken=tok" in body
                    writer.write(post_reply)
                    posted = True
                else:
                    page = (
                        (b'<li class="message message--success">ok</li>' if posted else b"")
                        + b'<form data-part="questionnaire-form">'
                        + b'<input type="hidden" name="csrfmiddlewaretoken" value="tok"></form>'
                    )
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(page), page)
                    )
                    posted = False
                await writer.drain()
        finally:
            writer.close()
            await writer.wait_closed()

    return handle, lines


def _run_clients(handle, seconds=0.3, clients=2):
    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await run_load(
                "127.0.0.1",
                port,
                "/q/",
                [f"s{n}" for n in range(clients)],
                [([("q-a", "1")], 1), ([("q-a", "2"), ("q-b", "x")], 2)],
                seconds,
                anonymous=False,
                seed=1,
            )
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(run())


def test_load_run_counts_submissions_and_expected_answers():
    handle, lines = _canned_site(
        b"HTTP/1.1 302 Found\r\nLocation: /q/\r\nContent-Length: 0\r\n\r\n"
    )
    stats, elapsed = _run_clients(handle)
    assert stats.error_count == 0, stats.errors
    assert stats.submitted == len(stats.timings["POST submit"]) > 2
    assert len(stats.timings["GET"]) == stats.submitted + 2  # warm-up excluded, last GET per client
    assert set(stats.expected_rows) == {0, 1}
    assert set(stats.expected_rows.values()) <= {1, 2}
    assert lines[0] == "GET /q/ HTTP/1.1"


@pytest.mark.parametrize(
    "post_reply",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nerror",  # the form came back invalid
        b"HTTP/1.1 302 Found\r\nLocation: /elsewhere/\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 500 Server Error\r\nContent-Length: 0\r\n\r\n",
    ],
)
def test_load_run_counts_unexpected_replies_as_errors(post_reply):
    handle, _lines = _canned_site(post_reply)
    stats, _elapsed = _run_clients(handle)
    assert stats.error_count > 0
    assert stats.submitted == 0
    assert stats.errors[0].startswith("client ")
