"""The partners' server: only the partner's screen, as plain web pages, reachable from the local network.

A room of thirty phones opens this screen in the same minute. Served as Solara's app shell, each
phone first loaded 3 MB of scripts, styles and fonts and spent seconds of CPU on them before it
showed one field; these pages are a few kilobytes of HTML with a small script that saves every
click at once (and forms that work without it). The server keeps nothing per visitor: who a
partner is travels in a signed cookie, and every answer goes straight to the store, so a phone
that is put away leaves nothing behind to free, and a partner who comes back types the code and
their name again and finds their answers (`store.deelnemer_key`).

The QR code on the coordinator's screen opens this page with `?code=...`, so a partner who scans it
finds the access code already filled in.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import jinja2
import pandas as pd
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from hvhk.apps import ui
from hvhk.apps.roadmap.deelnemers import domein_opties
from hvhk.apps.roadmap.invullen import SOORT_LABEL, onderdeel_label
from hvhk.base.errors import GebruikersFout
from hvhk.base.figures import to_png
from hvhk.base.paths import database_path
from roadmap import analysis, charts, store
from roadmap.definition import Onderdeel, Roadmap

WACHT_NA_FOUTE_CODE = 1.0  # seconds: makes guessing codes slow without bothering a partner who mistyped
COOKIE = "hvhk_deelnemer"
SECRET = secrets.token_bytes(32)  # per server run: after a restart a partner types the code and name again
MAX_FORMULIER = 20_000  # bytes: a form of this screen is far smaller; a larger one is refused unread
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PAGES = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                           lstrip_blocks=True)


def _signed(deelnemer_id: int) -> str:
    mac = hmac.new(SECRET, str(deelnemer_id).encode(), hashlib.sha256).hexdigest()
    return f"{deelnemer_id}:{mac}"


def _deelnemer_id(request: Request) -> int | None:
    """The partner this phone belongs to, from the cookie `begin` set; None for a cookie not made by this server."""
    value, _, mac = request.cookies.get(COOKIE, "").partition(":")
    if value.isdigit() and hmac.compare_digest(_signed(int(value)), f"{value}:{mac}"):
        return int(value)
    return None


def _page(template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(PAGES.get_template(template).render(**context), status_code=status)


def _sentence(tekst: str) -> str:
    """Store messages start in lower case, as CLI lines do; on a screen they start a sentence."""
    return tekst[:1].upper() + tekst[1:]


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORMULIER:
        raise GebruikersFout("dit formulier is te groot")
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def _connect() -> sqlite3.Connection:
    return store.connect(database_path())


# --- the access code and who the partner is ---------------------------------------------------

async def code_page(request: Request) -> Response:
    return _page("partner-code.html", code=request.query_params.get("code", "").strip()[:20])


async def check_code(request: Request) -> Response:
    """The second step, who are you, once the code opens a round; a wrong code waits before it says so."""
    code = (await _form(request)).get("code", "").strip()[:20]
    ronde_id = await run_in_threadpool(_ronde_voor_code, code)
    if ronde_id is None:
        await asyncio.sleep(WACHT_NA_FOUTE_CODE)  # this visitor waits; nobody else does
        return _page("partner-code.html", 400, code=code,
                     fout="Deze toegangscode klopt niet; vraag de code aan de begeleider.")
    return _page("partner-wie.html", code=code, domeinen=await run_in_threadpool(_domeinen, ronde_id))


def _ronde_voor_code(code: str) -> int | None:
    with closing(_connect()) as connection:
        return store.ronde_voor_code(connection, code)


def _domeinen(ronde_id: int) -> list[tuple[str, str]]:
    with closing(_connect()) as connection:
        return [(label, value or "") for label, value in domein_opties(connection, ronde_id)]


async def begin(request: Request) -> Response:
    """Make or find the partner (`store.find_deelnemer`: 'an' finds 'An'), and open their answers."""
    form = await _form(request)
    code = form.get("code", "").strip()[:20]
    ronde_id = await run_in_threadpool(_ronde_voor_code, code)
    if ronde_id is None:  # the round's code changed since the first step
        await asyncio.sleep(WACHT_NA_FOUTE_CODE)
        return _page("partner-code.html", 400, code="",
                     fout="Deze toegangscode klopt niet meer; vraag de code aan de begeleider.")
    try:
        deelnemer_id, terug = await run_in_threadpool(_save_deelnemer, ronde_id, form)
    except GebruikersFout as error:
        return _page("partner-wie.html", 400, code=code, domeinen=await run_in_threadpool(_domeinen, ronde_id),
                     naam=form.get("naam", ""), organisatie=form.get("organisatie", ""),
                     levensdomein=form.get("levensdomein", ""), fout=_sentence(str(error)))
    response = RedirectResponse(f"/invullen?{urlencode({'welkom': 'terug' if terug else 'nieuw'})}", status_code=303)
    response.set_cookie(COOKIE, _signed(deelnemer_id), httponly=True, samesite="lax")
    return response


def _save_deelnemer(ronde_id: int, form: dict[str, str]) -> tuple[int, bool]:
    """The partner's id, and whether they had been here before."""
    naam = form.get("naam", "")
    if not naam.strip():
        raise GebruikersFout("geef een naam of een schuilnaam op")
    with closing(_connect()) as connection:
        domeinen = {value for _, value in domein_opties(connection, ronde_id)}
        levensdomein = form.get("levensdomein") or None
        if levensdomein not in domeinen:
            raise GebruikersFout(f"onbekend levensdomein '{levensdomein}'")
        eerder = store.find_deelnemer(connection, ronde_id, naam)
        if eerder is not None and levensdomein is None:
            levensdomein = eerder["levensdomein_id"]  # coming back without choosing keeps the domain of before
        deelnemer_id = store.save_deelnemer(connection, ronde_id, naam, form.get("organisatie", "")[:200], levensdomein)
        return deelnemer_id, eerder is not None


# --- filling in --------------------------------------------------------------------------------

@dataclass
class Invulling:
    """One partner's answers in their round, read from the store for one request."""

    roadmap: Roadmap
    ronde_id: int
    antwoorden: dict[str, tuple[str, str]]  # stelling_id -> (the answer's value in the form, toelichting)
    belang: dict[str, int]

    @classmethod
    def load(cls, connection: sqlite3.Connection, deelnemer_id: int) -> Invulling:
        ronde_id = store.deelnemer_ronde(connection, deelnemer_id)
        answers = store.antwoorden(connection, ronde_id)
        answers = answers.loc[answers["deelnemer_id"] == deelnemer_id]
        belang = store.belangen(connection, ronde_id)
        return cls(
            store.ronde_roadmap(connection, ronde_id),
            ronde_id,
            {row.stelling_id: (_keuze_value(row.keuze, row.niveau), row.toelichting) for row in answers.itertuples()},
            dict(belang.loc[belang["deelnemer_id"] == deelnemer_id, ["onderdeel_id", "belang"]].values),
        )

    @property
    def onderdelen(self) -> list[tuple[str, Onderdeel]]:
        return [(soort, onderdeel) for soort, groep in self.roadmap.groepen for onderdeel in groep]

    def labels(self) -> list[str]:
        return [onderdeel_label(soort, o, self.antwoorden) for soort, o in self.onderdelen]

    def keuzes(self) -> dict[str, tuple[str, int | None]]:
        return _keuzes(self.roadmap)


def _keuzes(roadmap: Roadmap) -> dict[str, tuple[str, int | None]]:
    """An answer's value in the form -> (keuze, niveau) as the store takes it."""
    return {_keuze_value(*keuze): keuze for keuze in roadmap.schaal.antwoorden.values()}


def _keuze_value(keuze: str, niveau) -> str:
    return f"niveau-{int(niveau)}" if keuze == "niveau" else keuze


def _index(value: str | None, invulling: Invulling) -> int:
    """The onderdeel asked for (0 for anything that is not one)."""
    index = int(value) if value and value.isdigit() else 0
    return index if index < len(invulling.onderdelen) else 0


async def invullen_page(request: Request) -> Response:
    deelnemer_id = _deelnemer_id(request)
    if deelnemer_id is None:
        return RedirectResponse("/", status_code=303)
    welkom = {"terug": "Welkom terug: uw antwoorden staan er nog.",
              "nieuw": "Elk antwoord wordt meteen bewaard."}.get(request.query_params.get("welkom", ""), "")
    return await run_in_threadpool(_invullen, deelnemer_id, request.query_params.get("onderdeel"), welkom, "")


def _invullen(deelnemer_id: int, onderdeel: str | None, melding: str, fout: str, status: int = 200) -> Response:
    with closing(_connect()) as connection:
        try:
            invulling = Invulling.load(connection, deelnemer_id)
        except GebruikersFout:  # the coordinator removed this partner, or the store was replaced
            return RedirectResponse("/", status_code=303)
        stemming = store.stemming(connection, invulling.ronde_id)
    index = _index(onderdeel, invulling)
    soort, gekozen = invulling.onderdelen[index]
    return _page(
        "partner-invullen.html", status, invulling=invulling, index=index, soort=soort, onderdeel=gekozen,
        soort_label=SOORT_LABEL[soort], labels=invulling.labels(), totaal=len(invulling.roadmap.stellingen),
        melding=melding, fout=fout, waarde=_keuze_value, stemming=stemming,
    )


async def save_antwoord(request: Request) -> Response:
    """Save one answer (or its toelichting) at once; the script gets the new progress, a form the page again."""
    return await _save(request, _save_antwoord, _refused_invullen, _antwoord_url)


async def save_belang(request: Request) -> Response:
    return await _save(request, _save_belang, _refused_invullen, _antwoord_url)


def _refused_invullen(deelnemer_id: int, form: dict[str, str], fout: str) -> Response:
    return _invullen(deelnemer_id, form.get("onderdeel"), "", fout, 400)


def _antwoord_url(antwoord: dict) -> str:
    return f"/invullen?onderdeel={antwoord['index']}#{antwoord['anker']}"


async def _save(request: Request, save, opnieuw, verder) -> Response:
    """Run `save(deelnemer_id, form)` for the partner of this phone: for the script its result as JSON;
    for a plain form the page at `verder(result)`, or `opnieuw(deelnemer_id, form, fout)` when refused."""
    deelnemer_id = _deelnemer_id(request)
    script = "application/json" in request.headers.get("accept", "")
    if deelnemer_id is None:
        if script:
            return JSONResponse({"fout": "Uw sessie is verlopen: open de pagina opnieuw en typ de code en uw naam."},
                                status_code=401)
        return RedirectResponse("/", status_code=303)
    form = await _form(request)
    try:
        antwoord = await run_in_threadpool(save, deelnemer_id, form)
    except GebruikersFout as error:
        if script:
            return JSONResponse({"fout": _sentence(str(error))}, status_code=400)
        return await run_in_threadpool(opnieuw, deelnemer_id, form, _sentence(str(error)))
    if script:
        return JSONResponse(antwoord)
    return RedirectResponse(verder(antwoord), status_code=303)


def _save_antwoord(deelnemer_id: int, form: dict[str, str]) -> dict:
    with closing(_connect()) as connection:
        invulling = Invulling.load(connection, deelnemer_id)
        stelling_id = form.get("stelling", "")
        if stelling_id not in set(invulling.roadmap.stellingen["stelling_id"]):
            raise GebruikersFout(f"onbekende stelling '{stelling_id}'")
        eerder, eerdere_toelichting = invulling.antwoorden.get(stelling_id, ("", ""))
        value = form.get("keuze") or eerder
        if not value:
            raise GebruikersFout("kies eerst een antwoord: de toelichting wordt samen met het antwoord bewaard")
        keuzes = invulling.keuzes()
        if value not in keuzes:
            raise GebruikersFout(f"stelling '{stelling_id}': onbekend antwoord '{value}'")
        keuze, niveau = keuzes[value]
        toelichting = form["toelichting"].strip()[:2000] if "toelichting" in form else eerdere_toelichting
        store.save_antwoorden(connection, deelnemer_id, _rij(stelling_id, keuze, niveau, toelichting))
        invulling.antwoorden[stelling_id] = (value, toelichting)
    return _voortgang(invulling, form, stelling_id)


def _rij(stelling_id: str, keuze: str, niveau: int | None, toelichting: str) -> pd.DataFrame:
    return pd.DataFrame([{"stelling_id": stelling_id, "keuze": keuze, "niveau": niveau, "toelichting": toelichting}])


def _save_belang(deelnemer_id: int, form: dict[str, str]) -> dict:
    with closing(_connect()) as connection:
        invulling = Invulling.load(connection, deelnemer_id)
        onderdeel_id, waarde = form.get("onderdeel_id", ""), form.get("belang", "")
        if onderdeel_id not in {d.id for d in invulling.roadmap.levensdomeinen}:
            raise GebruikersFout(f"onbekend levensdomein '{onderdeel_id}'")
        if not waarde.isdigit():
            raise GebruikersFout(f"onderdeel '{onderdeel_id}': kies hoe belangrijk het is")
        store.save_belang(connection, deelnemer_id, {onderdeel_id: int(waarde)})
    return _voortgang(invulling, form, f"belang-{onderdeel_id}")


def _voortgang(invulling: Invulling, form: dict[str, str], anker: str) -> dict:
    index = _index(form.get("onderdeel"), invulling)
    return {"beantwoord": len(invulling.antwoorden), "totaal": len(invulling.roadmap.stellingen),
            "label": invulling.labels()[index], "index": index, "anker": anker}


# --- voting again in the discussion ------------------------------------------------------------

async def stemming_status(request: Request) -> Response:
    """The stelling this partner's group votes on now, or None: each open page asks every few seconds."""
    deelnemer_id = _deelnemer_id(request)
    if deelnemer_id is None:
        return JSONResponse({"stelling": None}, status_code=401)
    return JSONResponse({"stelling": await run_in_threadpool(_open_stemming, deelnemer_id)})


def _open_stemming(deelnemer_id: int) -> str | None:
    with closing(_connect()) as connection:
        return store.stemming(connection, store.deelnemer_ronde(connection, deelnemer_id))


async def stemmen_page(request: Request) -> Response:
    deelnemer_id = _deelnemer_id(request)
    if deelnemer_id is None:
        return RedirectResponse("/", status_code=303)
    return await run_in_threadpool(_stemmen, deelnemer_id, "")


def _stemmen(deelnemer_id: int, fout: str, status: int = 200) -> Response:
    """The stelling under discussion with this partner's first answer and vote, or word that no vote is open."""
    with closing(_connect()) as connection:
        ronde_id = store.deelnemer_ronde(connection, deelnemer_id)
        stelling_id = store.stemming(connection, ronde_id)
        roadmap = store.ronde_roadmap(connection, ronde_id)
        if stelling_id is None:
            return _page("partner-stemmen.html", status, stelling=None, fout=fout)
        eerste = store.antwoorden(connection, ronde_id)
        stem = store.stemmen(connection, ronde_id)
    stelling = roadmap.stellingen.set_index("stelling_id").loc[stelling_id]
    labels = {_keuze_value(*keuze): label for label, keuze in roadmap.schaal.antwoorden.items()}
    return _page("partner-stemmen.html", status, stelling_id=stelling_id, stelling=stelling, schaal=roadmap.schaal,
                 eerste=labels.get(_eigen(eerste, deelnemer_id, stelling_id), ""), gekozen=_eigen(stem, deelnemer_id,
                 stelling_id), fout=fout, waarde=_keuze_value)


def _eigen(antwoorden: pd.DataFrame, deelnemer_id: int, stelling_id: str) -> str:
    """This partner's answer to a stelling as its value in the form, or '' when there is none."""
    rows = antwoorden.loc[(antwoorden["deelnemer_id"] == deelnemer_id) & (antwoorden["stelling_id"] == stelling_id)]
    return "" if rows.empty else _keuze_value(rows["keuze"].iloc[0], rows["niveau"].iloc[0])


async def save_stem(request: Request) -> Response:
    """Save a partner's vote after the discussion; refused once the vote on that stelling closed."""
    return await _save(request, _save_stem, lambda deelnemer_id, _, fout: _stemmen(deelnemer_id, fout, 400),
                       lambda _: "/stemmen")


def _save_stem(deelnemer_id: int, form: dict[str, str]) -> dict:
    stelling_id, value = form.get("stelling", ""), form.get("keuze", "")
    with closing(_connect()) as connection:
        keuzes = _keuzes(store.ronde_roadmap(connection, store.deelnemer_ronde(connection, deelnemer_id)))
        if value not in keuzes:
            raise GebruikersFout(f"stelling '{stelling_id}': onbekend antwoord '{value}'")
        store.save_stem(connection, deelnemer_id, stelling_id, *keuzes[value])
    return {"stelling": stelling_id}


# --- the group's result ------------------------------------------------------------------------

async def groep_page(request: Request) -> Response:
    deelnemer_id = _deelnemer_id(request)
    if deelnemer_id is None:
        return RedirectResponse("/", status_code=303)
    onderdeel = request.query_params.get("onderdeel", "0")
    png = await run_in_threadpool(_groep_png, deelnemer_id)
    if png is None:
        return _page("partner-groep.html", onderdeel=onderdeel,
                     fout="De begeleider heeft het groepsresultaat nog niet vrijgegeven.")
    return _page("partner-groep.html", onderdeel=onderdeel, beeld=base64.b64encode(png).decode())


def _groep_png(deelnemer_id: int) -> bytes | None:
    """The group's levels per levensdomein of this partner's round, once the coordinator released them."""
    with closing(_connect()) as connection:
        ronde_id = store.deelnemer_ronde(connection, deelnemer_id)
        if not store.groep_zichtbaar(connection, ronde_id):
            return None
        roadmap = store.ronde_roadmap(connection, ronde_id)
        niveaus = analysis.per_onderdeel(store.antwoorden(connection, ronde_id), roadmap.stellingen)
    figure = charts.spider(niveaus.loc[niveaus["soort"] == "levensdomein"], roadmap.schaal, "Waar staan we samen?")
    return to_png(figure)


async def ready(_: Request) -> Response:
    return PlainTextResponse("ok")


async def problem(request: Request, error: Exception) -> Response:
    """Anything unexpected: an apology in Dutch on the screen, the details in the log, never a traceback."""
    ui.log_error(f"partnerscherm {request.method} {request.url.path}")
    tekst = ui.apology()
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"fout": tekst}, status_code=500)
    return _page("partner-code.html", 500, code="", fout=tekst)


async def refused(request: Request, error: GebruikersFout) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"fout": _sentence(str(error))}, status_code=400)
    return _page("partner-code.html", 400, code="", fout=_sentence(str(error)))


app = Starlette(
    routes=[
        Route("/", code_page, methods=["GET"]),
        Route("/", check_code, methods=["POST"]),
        Route("/beginnen", begin, methods=["POST"]),
        Route("/invullen", invullen_page, methods=["GET"]),
        Route("/antwoord", save_antwoord, methods=["POST"]),
        Route("/belang", save_belang, methods=["POST"]),
        Route("/stemming.json", stemming_status, methods=["GET"]),
        Route("/stemmen", stemmen_page, methods=["GET"]),
        Route("/stem", save_stem, methods=["POST"]),
        Route("/groep", groep_page, methods=["GET"]),
        Route("/readyz", ready, methods=["GET"]),
    ],
    exception_handlers={GebruikersFout: refused, Exception: problem},
)
