"""The partner's screen as a phone uses it, over HTTP against the real app and a real SQLite file.

Both ways a phone saves are tried: the page's script (JSON, no reload) and the plain forms that
work without it. The browser tests (tests/browser/test_workshop.py) click the same pages in chromium.
"""

import re
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from hvhk.apps import ui
from hvhk.server import partner as partner_module
from roadmap import store

JSON = {"Accept": "application/json"}


@pytest.fixture
def ronde(connection, mini_roadmap, tmp_path, monkeypatch):
    monkeypatch.setenv("HVHK_DATABASE", str(tmp_path / "hvhk.sqlite"))
    monkeypatch.setenv("HVHK_UITVOER", str(tmp_path / "uitvoer"))
    monkeypatch.setattr(partner_module, "WACHT_NA_FOUTE_CODE", 0)
    huis = store.save_huis(connection, "Huis van het Kind Test", ["44021"])
    return store.save_ronde(connection, huis, 1, "2026-05-01", mini_roadmap)


class Telefoon:
    """One partner's phone: its own cookies, the pages it gets back."""

    def __init__(self):
        self.client = TestClient(partner_module.app, raise_server_exceptions=False)

    def open(self, code: str, naam: str | None = None, **velden: str):
        page = self.client.post("/", data={"code": code})
        if naam is None:
            return page
        return self.client.post("/beginnen", data={"code": code, "naam": naam, **velden})

    def antwoord(self, stelling: str, keuze: str | None = None, toelichting: str | None = None, script: bool = True):
        data = {"stelling": stelling, "onderdeel": "0"}
        data |= {"keuze": keuze} if keuze is not None else {}
        data |= {"toelichting": toelichting} if toelichting is not None else {}
        return self.client.post("/antwoord", data=data, headers=JSON if script else {}, follow_redirects=False)


def gekozen(html: str, stelling: str) -> list[str]:
    """The labels of the pressed buttons of one stelling on a page."""
    section = re.search(rf'<section class="stelling stelling-{stelling.replace(".", "-")}".*?</section>', html, re.S)
    return re.findall(r'aria-pressed="true"[^>]*>([^<]+)</button>', section.group(0))


def test_a_partner_needs_the_code_and_sees_the_group_only_when_released(connection, ronde):
    code = store.new_toegangscode(connection, ronde)
    phone = Telefoon()
    wrong = phone.open("FOUT12")
    assert wrong.status_code == 400 and "Deze toegangscode klopt niet" in wrong.text
    wie = phone.open(code.lower())
    assert "Wie bent u?" in wie.text and '<option value="onderwijs">Onderwijs</option>' in wie.text
    begun = phone.open(code.lower(), "Bart", organisatie="CLB", levensdomein="onderwijs")
    assert begun.url.path == "/invullen" and "Elk antwoord wordt meteen bewaard." in begun.text
    saved = phone.antwoord("onderwijs.1", "niveau-2")
    assert saved.json() == {"beantwoord": 1, "totaal": 4, "label": "Levensdomein: Onderwijs (1/2)", "index": 0,
                            "anker": "onderwijs.1"}
    assert store.antwoorden(connection, ronde)[["keuze", "niveau"]].values.tolist() == [["niveau", 2]]
    assert store.deelnemers(connection, ronde)[["naam", "organisatie", "levensdomein_id"]].values.tolist() == [
        ["Bart", "CLB", "onderwijs"]]
    assert "nog niet vrijgegeven" in phone.client.get("/groep").text
    store.set_groep_zichtbaar(connection, ronde, True)
    assert '<img src="data:image/png;base64,' in phone.client.get("/groep").text


def test_a_partner_who_types_her_name_in_another_case_resumes_her_own_answers(connection, ronde):
    an = store.save_deelnemer(connection, ronde, "An", "CLB", "onderwijs")  # as the coordinator added her
    store.save_antwoorden(connection, an, pd.DataFrame(
        {"stelling_id": ["onderwijs.1"], "keuze": ["niveau"], "niveau": [3], "toelichting": ["al gezegd"]}))
    page = Telefoon().open(store.new_toegangscode(connection, ronde), " aN ")
    assert "Welkom terug: uw antwoorden staan er nog." in page.text
    assert gekozen(page.text, "onderwijs.1") == ["3 – Samenwerken"] and 'value="al gezegd"' in page.text
    assert "1 van 4 stellingen beantwoord" in page.text
    assert store.deelnemers(connection, ronde)[["id", "naam", "levensdomein_id"]].values.tolist() == [
        [an, "An", "onderwijs"]], "coming back without choosing a domain keeps hers"


def test_without_the_script_every_click_is_saved_and_the_page_comes_back_at_the_stelling(connection, ronde):
    phone = Telefoon()
    phone.open(store.new_toegangscode(connection, ronde), "Chris")
    saved = phone.antwoord("onderwijs.2", "weet_niet", script=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/invullen?onderdeel=0#onderwijs.2"
    page = phone.client.get(saved.headers["location"])
    assert gekozen(page.text, "onderwijs.2") == ["Weet niet"]
    phone.antwoord("onderwijs.2", toelichting="  de school weet het niet  ", script=False)
    belang = phone.client.post("/belang", data={"onderdeel_id": "onderwijs", "belang": "3", "onderdeel": "0"},
                               follow_redirects=False)
    assert belang.headers["location"] == "/invullen?onderdeel=0#belang-onderwijs"
    assert store.antwoorden(connection, ronde)[["keuze", "toelichting"]].values.tolist() == [
        ["weet_niet", "de school weet het niet"]]
    assert store.belangen(connection, ronde)["belang"].tolist() == [3]
    assert 'aria-pressed="true">3 – Zeer belangrijk' in phone.client.get("/invullen").text


def test_a_note_without_an_answer_asks_for_the_answer_first(connection, ronde):
    phone = Telefoon()
    phone.open(store.new_toegangscode(connection, ronde), "Dirk")
    refused = phone.antwoord("onderwijs.1", toelichting="eerst dit")
    assert refused.status_code == 400 and refused.json()["fout"].startswith("Kies eerst een antwoord")
    page = phone.antwoord("onderwijs.1", toelichting="eerst dit", script=False)
    assert page.status_code == 400 and "Kies eerst een antwoord" in page.text and "<form" in page.text
    assert store.antwoorden(connection, ronde).empty


@pytest.mark.parametrize("data, fout", [
    ({"stelling": "onderwijs.9", "keuze": "niveau-2"}, "Onbekende stelling 'onderwijs.9'"),
    ({"stelling": "onderwijs.1", "keuze": "niveau-7"}, "Stelling 'onderwijs.1': onbekend antwoord 'niveau-7'"),
    ({"stelling": "<b>x</b>", "keuze": "niveau-2"}, "Onbekende stelling '<b>x</b>'"),
])
def test_an_answer_the_round_does_not_know_is_refused_in_dutch_and_saves_nothing(connection, ronde, data, fout):
    phone = Telefoon()
    phone.open(store.new_toegangscode(connection, ronde), "Eva")
    refused = phone.client.post("/antwoord", data=data, headers=JSON)
    assert refused.status_code == 400 and fout in refused.json()["fout"]
    page = phone.client.post("/antwoord", data=data)
    assert escape(fout) in page.text and "<b>x</b>" not in page.text
    assert store.antwoorden(connection, ronde).empty


def test_who_you_are_is_checked_and_what_was_typed_comes_back_escaped(connection, ronde):
    code = store.new_toegangscode(connection, ronde)
    phone = Telefoon()
    no_name = phone.open(code, "   ", organisatie="<i>CLB</i>")
    assert no_name.status_code == 400 and "Geef een naam of een schuilnaam op" in no_name.text
    assert "&lt;i&gt;CLB&lt;/i&gt;" in no_name.text and "<i>CLB</i>" not in no_name.text
    unknown = phone.open(code, "Fien", levensdomein="../etc")
    assert unknown.status_code == 400 and "Onbekend levensdomein &#39;../etc&#39;" in unknown.text
    assert store.deelnemers(connection, ronde).empty
    filled_in = phone.client.get("/", params={"code": '"><script>alert(1)</script>'})
    assert "<script>alert" not in filled_in.text and "&#34;&gt;&lt;script&gt;" in filled_in.text


def test_a_cookie_this_server_did_not_make_opens_nobody(connection, ronde):
    deelnemer = store.save_deelnemer(connection, ronde, "Gert")
    phone = Telefoon()
    for cookie in (f"{deelnemer}:{'0' * 64}", str(deelnemer), "x:y", ""):
        phone.client.cookies.set(partner_module.COOKIE, cookie)
        assert phone.client.get("/invullen", follow_redirects=False).headers["location"] == "/"
        assert phone.antwoord("onderwijs.1", "niveau-1").status_code == 401
    assert store.antwoorden(connection, ronde).empty


def test_an_unknown_onderdeel_in_the_address_shows_the_first(connection, ronde):
    phone = Telefoon()
    phone.open(store.new_toegangscode(connection, ronde), "Hanne")
    for onderdeel in ("2", "99", "-1", "x"):
        page = phone.client.get("/invullen", params={"onderdeel": onderdeel})
        assert page.status_code == 200
        assert ("Werkingsprincipe: Gebruikersparticipatie" if onderdeel == "2" else "Levensdomein: Onderwijs") in \
            re.search(r"<h2>(.*?)</h2>", page.text).group(1)


def test_an_unexpected_error_shows_an_apology_in_dutch_and_logs_the_details(connection, ronde, monkeypatch):
    phone = Telefoon()
    phone.open(store.new_toegangscode(connection, ronde), "Ines")
    monkeypatch.setattr(store, "save_antwoorden", lambda *_: 1 / 0)
    broken = phone.antwoord("onderwijs.1", "niveau-1")
    assert broken.status_code == 500 and broken.json()["fout"].startswith("Er ging iets mis; wat al bewaard was")
    log = Path(ui._logger().handlers[0].baseFilename)  # the apps' log file, opened once per process
    assert "Traceback" not in broken.text and "ZeroDivisionError" in log.read_text()


def test_partners_vote_again_on_the_stelling_under_discussion_and_only_while_it_is_open(connection, ronde):
    code = store.new_toegangscode(connection, ronde)
    an, bart = Telefoon(), Telefoon()
    an.open(code, "An")
    bart.open(code, "Bart")
    an.antwoord("onderwijs.1", "niveau-1")
    assert an.client.get("/stemming.json").json() == {"stelling": None}
    assert 'id="bespreking" hidden' in an.client.get("/invullen").text
    assert "Er loopt nu geen stemming" in an.client.get("/stemmen").text

    store.plan_bespreking(connection, ronde, ["onderwijs.1", "onderwijs.2"])
    store.open_stemming(connection, ronde, "onderwijs.1")
    assert an.client.get("/stemming.json").json() == {"stelling": "onderwijs.1"}
    assert 'id="bespreking">' in an.client.get("/invullen").text  # the link to the vote shows
    page = an.client.get("/stemmen").text
    assert "Scholen kennen het Huis." in page and "Uw eerste antwoord was <strong>1 – Verkennen</strong>" in page
    assert an.client.post("/stem", data={"stelling": "onderwijs.1", "keuze": "niveau-3"}, headers=JSON).json() == {
        "stelling": "onderwijs.1"}
    assert re.findall(r'aria-pressed="true"[^>]*>([^<]+)</button>', an.client.get("/stemmen").text) == [
        "3 – Samenwerken"]
    plain = bart.client.post("/stem", data={"stelling": "onderwijs.1", "keuze": "weet_niet"}, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/stemmen"  # without the script

    refused = an.client.post("/stem", data={"stelling": "onderwijs.2", "keuze": "niveau-2"}, headers=JSON)
    assert refused.status_code == 400 and "gesloten" in refused.json()["fout"]
    unknown = an.client.post("/stem", data={"stelling": "onderwijs.1", "keuze": "niveau-9"})
    assert unknown.status_code == 400 and "onbekend antwoord &#39;niveau-9&#39;" in unknown.text
    store.open_stemming(connection, ronde, "onderwijs.2")  # the coordinator moves on
    late = bart.client.post("/stem", data={"stelling": "onderwijs.1", "keuze": "niveau-4"}, headers=JSON)
    assert late.status_code == 400 and "gesloten" in late.json()["fout"]

    votes = store.stemmen(connection, ronde)
    assert votes[["stelling_id", "keuze", "niveau"]].astype(object).where(votes.notna(), None).values.tolist() == [
        ["onderwijs.1", "niveau", 3], ["onderwijs.1", "weet_niet", None]]
    assert store.antwoorden(connection, ronde)["niveau"].tolist() == [1]  # the first answer stays
    assert Telefoon().client.get("/stemming.json").status_code == 401  # a phone without a partner learns nothing
