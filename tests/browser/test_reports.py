"""A rendered report in a real browser: no code, no error, no request to any outside address."""

from rapporten import batch
from roadmap import store


def test_a_report_in_the_browser_shows_no_code_and_no_error(tmp_path, demo_database, pagina):
    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(2)
    connection.close()
    results = batch.render_all(batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path),
                               voortgang=False)
    index = batch.write_index(results, tmp_path, demo=True)
    viewer = pagina(1000)
    requests = []
    viewer.page.on("request", lambda request: requests.append(request.url))
    viewer.page.goto(index.as_uri())
    viewer.screenshot("rapporten-overzicht")
    viewer.page.get_by_role("link", name=huizen.iloc[0]["naam"]).click()
    viewer.page.get_by_role("heading", name="Waar staan we?").wait_for()
    viewer.controleer_schoon()
    assert not viewer.page.locator(".jp-InputArea, .input_area, .jp-OutputPrompt, .prompt").count()
    assert "fictieve demogegevens" in viewer.page.locator("body").inner_text()
    assert viewer.page.locator("img").count() >= 1
    viewer.screenshot("rapport-huis")
    assert all(url.startswith(("file://", "data:")) for url in requests), requests
