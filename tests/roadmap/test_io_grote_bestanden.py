"""Huge and malformed import files: each is refused quickly, in Dutch, without filling memory.

The files are made here, in tmp_path: a zip bomb is a deflate stream of one compressed block
repeated, so a gigabyte costs a megabyte and a second to make.
"""

import re
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hvhk.base.errors import GebruikersFout
from roadmap import store
from roadmap.io import excel, importing
from roadmap.io.records import MAX_DEELNEMERS, MAX_MB

ANTWOORDEN_XML = "xl/worksheets/sheet2.xml"  # where openpyxl writes the template's sheet 'Antwoorden'
HEADER = "deelnemer;organisatie;levensdomein;id;antwoord;toelichting\n"


@pytest.fixture
def huis(connection):
    return store.save_huis(connection, "Huis van het Kind Test", ["44021"])


@pytest.fixture
def ingevuld(tmp_path, mini_roadmap):
    """A filled-in template: two partners, three answers."""
    path = tmp_path / "ingevuld.xlsx"
    excel.write_template(path, mini_roadmap, "Huis van het Kind Test", deelnemers=3)
    book = load_workbook(path)
    sheet = book[excel.ANTWOORDEN]
    rows = {sheet.cell(r, 1).value: r for r in range(excel.ID_RIJ + 1, sheet.max_row + 1)}
    sheet["D1"], sheet["E1"] = "An", "Bart"
    sheet.cell(rows["onderwijs.1"], 4, 3)
    sheet.cell(rows["onderwijs.2"], 4, "Weet niet")
    sheet.cell(rows["kinderopvang.1"], 5, 1)
    book.save(path)
    assert excel.ANTWOORDEN in zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    return path


def refused(connection, huis, roadmap, path) -> str:
    """The message of an import that must fail, checking that nothing was saved and little memory used."""
    before = store.row_counts(connection)
    tracemalloc.start()
    try:
        with pytest.raises(GebruikersFout) as error:
            importing.import_file(connection, path, huis, roadmap)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert store.row_counts(connection) == before
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB used to refuse {path.name}"
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    return message


def rezip(source: Path, target: Path, replace: dict[str, tuple[bytes, int, int]]) -> Path:
    """`source` with members replaced by raw deflate data (data, unpacked size, CRC-32), written by hand:
    zipfile can only write data it compressed itself, and a bomb must not be unpacked to be made."""
    with zipfile.ZipFile(source) as archive:
        members = {name: _deflated(archive.read(name)) for name in archive.namelist()}
    members |= replace
    local, central = bytearray(), bytearray()
    for name, (data, size, crc) in members.items():
        header = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 33, crc, len(data), size, len(name.encode()), 0)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + header + struct.pack("<HHHII", 0, 0, 0, 0, len(local))
        central += name.encode()
        local += b"PK\x03\x04" + header + name.encode() + data
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(local), 0)
    target.write_bytes(bytes(local + central) + b"PK\x05\x06" + end)
    return target


def _deflated(content: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(), len(content), zlib.crc32(content)


def bomb(prefix: bytes, filler: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """Deflate data of prefix + filler * times + suffix: the filler is compressed once and its
    block repeated, which a full flush makes valid (no block refers back past it)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(filler, crc)
    return head + block * times + tail, len(prefix) + len(filler) * times + len(suffix), zlib.crc32(suffix, crc)


def test_a_zip_bomb_posing_as_xlsx_is_refused_before_it_is_unpacked(tmp_path, connection, huis, mini_roadmap, ingevuld):
    # one cell holding a gigabyte of text, a megabyte on disk
    sheet = bomb(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="D1" t="inlineStr"><is><t>',
        b"A" * 2**20,
        1024,
        b"</t></is></c></row></sheetData></worksheet>",
    )
    path = rezip(ingevuld, tmp_path / "bom.xlsx", {ANTWOORDEN_XML: sheet})
    assert path.stat().st_size < 2_000_000
    message = refused(connection, huis, mini_roadmap, path)
    assert "bestand: uitgepakt zou deze werkmap 1.074 MB groot zijn; een ingevuld sjabloon is hoogstens 50 MB" in message


def test_a_zip_that_hides_its_size_is_refused_when_unpacked(tmp_path, connection, huis, mini_roadmap, ingevuld):
    """A member that declares a few bytes but holds more is cut off by zipfile at the declared
    size and fails its CRC check: the declared sizes are the ones to trust."""
    data, _, crc = bomb(b"<worksheet>", b"A" * 2**20, 100, b"</worksheet>")
    path = rezip(ingevuld, tmp_path / "liegt.xlsx", {ANTWOORDEN_XML: (data, 100, crc)})
    message = refused(connection, huis, mini_roadmap, path)
    assert "bestand: geen leesbare Excel-werkmap (.xlsx)" in message


def test_a_file_above_the_size_limit_is_refused_unread(tmp_path, connection, huis, mini_roadmap, ingevuld):
    # a valid template carrying a 50 MB picture, which openpyxl would skip without complaint
    xlsx = tmp_path / "groot.xlsx"
    xlsx.write_bytes(ingevuld.read_bytes())
    with zipfile.ZipFile(xlsx, "a") as archive:
        archive.writestr("xl/media/image1.png", bytes(50_000_000), compress_type=zipfile.ZIP_STORED)
    csv = tmp_path / "groot.csv"
    csv.write_text(HEADER + "".join(f"P{i};;;onderwijs.1;3;{'x' * 80}\n" for i in range(250_000)))
    for path, size in ((xlsx, "50,0"), (csv, "26,1")):
        message = refused(connection, huis, mini_roadmap, path)
        assert f"bestand: het bestand is {size} MB; een bestand met antwoorden is hoogstens {MAX_MB} MB" in message


def test_a_csv_with_100_000_rows_is_refused_for_its_number_of_participants(tmp_path, connection, huis, mini_roadmap):
    """100 000 well-formed rows: 20 000 partners answering all five questions of the mini Roadmap."""
    ids = ["onderwijs.1", "onderwijs.2", "kinderopvang.1", "gebruikersparticipatie.1", "onderwijs"]
    path = tmp_path / "lang.csv"
    path.write_text(HEADER + "".join(f"Partner {i // 5};;;{ids[i % 5]};{1 + i % 3};\n" for i in range(100_000)))
    before = store.row_counts(connection)
    with pytest.raises(GebruikersFout) as error:
        importing.import_file(connection, path, huis, mini_roadmap)
    assert f"bestand: 20000 deelnemers; een ronde heeft er hoogstens {MAX_DEELNEMERS}" in str(error.value)
    assert store.row_counts(connection) == before


def test_a_csv_field_beyond_the_csv_modules_limit_is_reported(tmp_path, connection, huis, mini_roadmap):
    path = tmp_path / "veld.csv"
    path.write_text(HEADER + "An;;;onderwijs.1;3;kort\nAn;;;onderwijs.2;3;" + "x" * 200_000 + "\n")
    message = refused(connection, huis, mini_roadmap, path)
    assert "rij 3: een veld is langer dan 131.072 tekens" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_refused_also_without_a_byte_order_mark(tmp_path, connection, huis, mini_roadmap, encoding):
    """Without a mark, UTF-16 of plain ASCII is valid UTF-8 with a NUL after every letter."""
    path = tmp_path / "utf16.csv"
    path.write_bytes((HEADER + "An;;;onderwijs.1;3;\n").encode(encoding))
    message = refused(connection, huis, mini_roadmap, path)
    assert "rij 1: het bestand is niet in UTF-8 gecodeerd; bewaar het in Excel als 'CSV UTF-8" in message


def _with_sheet_xml(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read(ANTWOORDEN_XML)
    return rezip(source, target, {ANTWOORDEN_XML: _deflated(change(sheet))})


def test_a_cell_far_down_or_far_right_is_refused_quickly(tmp_path, connection, huis, mini_roadmap, ingevuld):
    """A few bytes can put a cell in the last row or column that Excel has, and make every row that
    long: the reader stops at a size no template reaches."""
    far_down = _with_sheet_xml(ingevuld, tmp_path / "onder.xlsx", lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="D1048576" t="n"><v>3</v></c></row></sheetData>'))
    far_right = _with_sheet_xml(ingevuld, tmp_path / "rechts.xlsx", lambda xml: xml.replace(
        b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>Zoe</t></is></c></row>', 1))
    assert "blad 'Antwoorden', rij 2001: het blad loopt verder dan rij 2000" in refused(
        connection, huis, mini_roadmap, far_down)
    assert ("blad 'Antwoorden', rij 1, kolom XFD: het blad loopt verder dan kolom GU;"
            f" er is plaats voor hoogstens {MAX_DEELNEMERS} deelnemers") in refused(
        connection, huis, mini_roadmap, far_right)


@pytest.mark.parametrize("declared", ["A1:A1", "A1:XFD1048576"])
def test_the_size_a_sheet_declares_is_not_trusted(tmp_path, connection, huis, mini_roadmap, ingevuld, declared):
    """openpyxl leaves out cells outside the declared size and pads every row to it."""
    path = _with_sheet_xml(ingevuld, tmp_path / "verklaard.xlsx", lambda xml: re.sub(
        rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(), xml))
    assert importing.import_file(connection, path, huis, mini_roadmap).antwoorden == 3


def test_a_template_wider_than_the_reader_accepts_is_not_made(tmp_path, mini_roadmap):
    with pytest.raises(GebruikersFout, match=f"hoogstens {MAX_DEELNEMERS} deelnemers"):
        excel.write_template(tmp_path / "breed.xlsx", mini_roadmap, "Huis", deelnemers=MAX_DEELNEMERS + 1)
    assert not (tmp_path / "breed.xlsx").exists()
