"""The CKAN codec's Action API client: its one retry policy and its one error rendering."""

from __future__ import annotations

from typing import Any

import pytest

from satudata_cli.codecs.ckan.client import (
    ERROR_TEXT_MAX,
    ActionError,
    ActionNotAuthorized,
    ActionNotFound,
    ActionRefused,
    ActionUnanswered,
    CkanClient,
    CkanError,
    error_text,
)
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.http import (
    HttpStatusError,
    HttpTimeout,
    NotJsonError,
    RetryPolicy,
)

TOKEN = "tok-5f0c1e7a"
OK: dict[str, Any] = {"success": True, "result": {"ok": 1}}


class FakeHttp:
    """Answers GETs and POSTs from one script: exceptions are raised, the rest returned."""

    def __init__(self, *answers: Any, attempts: int = 3) -> None:
        self.retry = RetryPolicy(max_attempts=attempts, base_delay=1.0, jitter=0.0)
        self.answers = list(answers)
        self.calls: list[tuple[str, str, Any, dict[str, str] | None]] = []

    def _answer(self) -> Any:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get_json(self, url: str, params: Any = None, headers: dict[str, str] | None = None) -> Any:
        self.calls.append(("GET", url, params, headers))
        return self._answer()

    def post_json(self, url: str, json: Any, headers: dict[str, str] | None = None) -> Any:
        self.calls.append(("POST", url, json, headers))
        return self._answer()


def status(code: int, payload: Any = None, excerpt: str = "") -> HttpStatusError:
    return HttpStatusError(
        f"HTTP {code} from u", url="u", status=code, payload=payload, excerpt=excerpt
    )


def client(http: FakeHttp, sleeps: list[float], **kwargs: Any) -> CkanClient:
    return CkanClient(http, "https://data.example.go.id/", TOKEN, sleep=sleeps.append, **kwargs)  # type: ignore[arg-type]


# -- the retry policy ------------------------------------------------------------------


def test_a_read_is_retried_after_http_500_with_backoff() -> None:
    sleeps: list[float] = []
    http = FakeHttp(status(500), status(500), OK)
    assert client(http, sleeps).call("package_search", {"q": "*:*", "fq": None}) == {"ok": 1}
    assert sleeps == [1.0, 2.0]
    method, url, params, headers = http.calls[0]
    assert (method, url) == ("GET", "https://data.example.go.id/api/3/action/package_search")
    assert params == {"q": "*:*"}  # None values are not sent
    assert headers == {"Authorization": TOKEN}


def test_a_read_gives_up_after_max_attempts_and_is_refused() -> None:
    sleeps: list[float] = []
    http = FakeHttp(status(500), status(500), status(500, {"error": "index down"}))
    with pytest.raises(ActionRefused) as caught:
        client(http, sleeps).call("package_search")
    assert caught.value.reason == "HTTP 500: index down"
    assert str(caught.value) == "package_search: HTTP 500: index down"
    assert len(http.calls) == 3 and len(sleeps) == 2


@pytest.mark.parametrize("code", [429, 502, 503, 504])
def test_a_read_leaves_the_busy_statuses_to_the_http_client(code: int) -> None:
    # the HTTP client retries these for a GET; what comes through after its retries is
    # "unanswered", never retried a second time here
    sleeps: list[float] = []
    http = FakeHttp(status(code), OK)
    with pytest.raises(ActionUnanswered) as caught:
        client(http, sleeps).call("package_show", {"id": "a"})
    assert caught.value.status == code and sleeps == [] and len(http.calls) == 1


def test_a_read_sent_as_post_is_retried_after_500_502_504() -> None:
    sleeps: list[float] = []
    http = FakeHttp(status(502), status(504), OK, status(500), OK)
    api = client(http, sleeps)
    assert api.call("user_show", {}, post=True) == {"ok": 1}
    assert api.call("user_show", {}, post=True) == {"ok": 1}
    assert [c[0] for c in http.calls] == ["POST"] * 5
    assert api.reads == 5 and api.writes == 0


def test_writes_are_retried_after_500_502_504_and_each_attempt_counts() -> None:
    sleeps: list[float] = []
    http = FakeHttp(status(502), status(500), OK)
    api = client(http, sleeps, writes_per_second=1000)
    assert api.call("package_update", {"id": "a"}, write=True) == {"ok": 1}
    assert api.writes == 3 and api.reads == 0 and len(sleeps) == 2


@pytest.mark.parametrize("code", [409, 403, 404, 400])
def test_a_refused_write_is_not_retried(code: int) -> None:
    sleeps: list[float] = []
    http = FakeHttp(status(code, {"success": False, "error": {"__type": "X"}}), OK)
    with pytest.raises(ActionRefused):
        client(http, sleeps).call("package_create", {"name": "a"}, write=True)
    assert len(http.calls) == 1 and sleeps == []


def test_a_write_without_an_answer_is_not_retried_here() -> None:
    # a timeout may have reached the portal: the HTTP client decides (never for a POST
    # read timeout), this client does not repeat it
    sleeps: list[float] = []
    http = FakeHttp(HttpTimeout("no answer from u (read timeout)", url="u"), OK)
    with pytest.raises(ActionUnanswered) as caught:
        client(http, sleeps).call("package_update", {"id": "a"}, write=True)
    assert caught.value.reason == "no answer from u (read timeout)"
    assert caught.value.status is None and len(http.calls) == 1


# -- errors ----------------------------------------------------------------------------


def test_the_error_tree() -> None:
    assert issubclass(CkanError, SatudataError)
    for cls in (ActionRefused, ActionUnanswered):
        assert issubclass(cls, ActionError) and issubclass(cls, CkanError)
    assert issubclass(ActionNotFound, ActionRefused)
    assert issubclass(ActionNotAuthorized, ActionRefused)


def test_statuses_and_kinds_choose_the_class() -> None:
    sleeps: list[float] = []
    http = FakeHttp(
        status(404, excerpt="<h1>Not here</h1>"),
        status(403, {"success": False, "error": {"__type": "Authorization Error"}}),
        status(409, {"success": False, "error": {"__type": "Not Found Error", "message": "x"}}),
        status(302),
    )
    api = client(http, sleeps)
    with pytest.raises(ActionNotFound) as not_found:
        api.call("package_show", {"id": "a"})
    assert not_found.value.kind is None  # no CKAN envelope: not a CKAN portal at all
    assert not_found.value.reason == "HTTP 404: <h1>Not here</h1>"
    with pytest.raises(ActionNotAuthorized):
        api.call("package_show", {"id": "a"})
    with pytest.raises(ActionNotFound) as by_kind:
        api.call("package_show", {"id": "a"})
    assert by_kind.value.kind == "Not Found Error" and by_kind.value.status == 409
    with pytest.raises(ActionUnanswered):
        api.call("user_show", {}, post=True)


def test_field_errors_are_kept_and_the_token_never_shows() -> None:
    sleeps: list[float] = []
    error = {"__type": "Validation Error", "name": [f"{TOKEN} is in use"]}
    http = FakeHttp(status(409, {"success": False, "error": error}))
    api = client(http, sleeps)
    with pytest.raises(ActionRefused) as caught:
        api.call("package_create", {"name": "a"}, write=True)
    assert caught.value.status == 409 and caught.value.kind == "Validation Error"
    assert caught.value.fields == {"name": ["*** is in use"]}
    assert str(caught.value) == "package_create: HTTP 409: Validation Error: name: *** is in use"
    assert TOKEN not in repr(api)


def test_replies_that_are_no_ckan_reply_are_refused() -> None:
    sleeps: list[float] = []
    http = FakeHttp(
        NotJsonError("not json", url="u", status=200, content_type="text/html"),
        ["a", "list"],
        {"success": False, "error": {"__type": "Authorization Error", "message": "Access denied"}},
        {"success": False},
        {"status": "error", "message": "maintenance"},
        {"success": True},
        {"status": "ok", "result": [1]},
    )
    api = client(http, sleeps)
    reasons = []
    for _ in range(6):
        with pytest.raises(ActionRefused) as caught:
            api.call("package_list")
        reasons.append(caught.value.reason)
    assert reasons == [
        "not JSON: text/html with HTTP 200",
        "the reply is a list, not a CKAN response object",
        "CKAN error: Authorization Error: Access denied",
        "CKAN error: no error message",
        "portal error: maintenance",
        "the reply has no result",
    ]
    assert api.call("package_list") == [1]  # a portal imitating the Action API


# -- rendering CKAN's error object -----------------------------------------------------


def test_error_text_renders_kind_message_and_fields() -> None:
    assert error_text({"__type": "Not Found Error", "message": "Not found"}) == (
        "Not Found Error: Not found"
    )
    assert error_text(
        {"__type": "Validation Error", "name": ["That URL is already in use."], "tags": []}
    ) == ("Validation Error: name: That URL is already in use.")
    nested = {"__type": "Validation Error", "extras": [{"key": ["bad"]}, {"value": ["worse"]}]}
    assert error_text(nested) == "Validation Error: extras: key: bad; value: worse"
    assert error_text({"name": ["a", "b"]}) == "name: a; b"
    assert error_text("  Bad request  ") == "Bad request"


def test_error_text_says_none_when_there_is_nothing_to_say() -> None:
    for nothing in (None, "", "  ", {}, [], {"__type": None, "message": ""}):
        assert error_text(nothing) is None


def test_error_text_is_cut_for_people() -> None:
    text = error_text({"__type": "Validation Error", "notes": ["x" * 1000]})
    assert text is not None and len(text) == ERROR_TEXT_MAX and text.endswith("...")
