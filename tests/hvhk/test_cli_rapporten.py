"""`hvhk rapporten` as an analyst runs it: a killed batch finishes on a rerun, a failing report
does not stop the others and the exit code says so."""

import os
import shutil
import signal
import subprocess
import sys
import time

from hvhk.cli import main
from roadmap import store


def test_a_killed_batch_finishes_only_what_is_missing_on_a_rerun(tmp_path, demo_database):
    database, output = tmp_path / "hvhk.sqlite", tmp_path / "rapporten"
    shutil.copy(demo_database, database)
    arguments = ["rapporten", "--alle", "--werkers", "1", "--database", str(database), "--uitvoer", str(output),
                 "--simulatie", str(tmp_path / "geen.csv")]
    process = subprocess.Popen([sys.executable, "-m", "hvhk", *arguments], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(output.glob("*.html"))) < 2:
        assert process.poll() is None and time.monotonic() < deadline, "the batch ended before it could be killed"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = {path.name for path in output.glob("*.html")}
    assert 2 <= len(done) < 12 and "index.html" not in done

    result = subprocess.run([sys.executable, "-m", "hvhk", *arguments], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"12 rapporten: {12 - len(done)} gemaakt, {len(done)} ongewijzigd, 0 mislukt." in result.stdout
    assert len(list(output.glob("[0-9]*.html"))) == 12 and not list(output.glob(".*.tmp"))
    assert (output / "index.html").read_text().count("<tr>") == 1 + 12


def test_ctrl_c_stops_a_batch_in_dutch_without_tracebacks(tmp_path, demo_database):
    output = tmp_path / "rapporten"
    process = subprocess.Popen(
        [sys.executable, "-m", "hvhk", "rapporten", "--alle", "--database", str(demo_database), "--uitvoer", str(output),
         "--simulatie", str(tmp_path / "geen.csv")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # as in a terminal, even where this test runs with Ctrl+C ignored (a background job)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - only resets a signal
    )
    deadline = time.monotonic() + 120
    while not list(output.glob("0*.html")):
        assert process.poll() is None and time.monotonic() < deadline, "the batch ended before Ctrl+C"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl+C reaches the batch and its workers alike
    _out, error = process.communicate(timeout=120)
    assert process.returncode == 130
    assert error.rstrip().endswith("hvhk: onderbroken") and "Traceback" not in error
    assert len(list(output.glob("0*.html"))) < 12 and not (output / "index.html").exists()


def test_one_failing_report_is_listed_and_sets_the_exit_code(tmp_path, demo_database, capsys):
    database = tmp_path / "hvhk.sqlite"
    shutil.copy(demo_database, database)
    connection = store.connect(database)
    with store.transaction(connection):  # a broken date in the rounds of Tongeren-Borgloon only
        connection.execute("UPDATE ronde SET datum = 'kapot' WHERE huis_id = 2")
    connection.close()
    code = main(["rapporten", "--huis", "Huis van het Kind Nazareth-De Pinte", "--huis", "Huis van het Kind Tongeren-Borgloon",
                 "--database", str(database), "--uitvoer", str(tmp_path), "--simulatie", str(tmp_path / "geen.csv")])
    captured = capsys.readouterr()
    assert code == 1
    assert "2 rapporten: 1 gemaakt, 0 ongewijzigd, 1 mislukt." in captured.out
    assert "hvhk: mislukt: Huis van het Kind Tongeren-Borgloon: ValueError: Invalid isoformat string: 'kapot'\n" in captured.err
    assert "mislukt" in (tmp_path / "index.html").read_text()


def test_gemeente_reports_from_the_simulation_table(tmp_path, demo_database, capsys):
    from hvhk import demodata
    from hvhk.demo import simulate
    from roadmap.definition import load_roadmap

    figures = demodata.generate(load_roadmap()).gemeenten
    simulatie = tmp_path / "loket.csv"
    simulate(figures.loc[figures["gemeente"] == "Genk"], replicaties=2).to_csv(simulatie, index=False)
    base = ["rapporten", "--database", str(demo_database), "--uitvoer", str(tmp_path / "uit"),
            "--simulatie", str(simulatie)]
    assert main([*base, "--gemeente", "Genk"]) == 0
    assert "1 rapporten: 1 gemaakt" in capsys.readouterr().out
    assert "Lokaal loket kinderopvang Genk" in next((tmp_path / "uit").glob("gemeente-*-genk.html")).read_text()
    assert main([*base, "--gemeente", "Brugge"]) == 1
    assert "geen simulatieresultaten voor gemeente 31005" in capsys.readouterr().err
    # an analyst with simulation results and no Huizen at all still gets the loket report
    alone = ["rapporten", "--database", str(tmp_path / "leeg.sqlite"), "--uitvoer", str(tmp_path / "alleen"),
             "--simulatie", str(simulatie)]
    assert main([*alone, "--gemeente", "Genk"]) == 0
    assert next((tmp_path / "alleen").glob("gemeente-*-genk.html")).exists()


def test_reports_rendered_on_a_dask_cluster(tmp_path, demo_database, capsys):
    from distributed import LocalCluster

    base = ["rapporten", "--huis", "Huis van het Kind Nazareth-De Pinte", "--huis", "Huis van het Kind Tongeren-Borgloon",
            "--database", str(demo_database), "--uitvoer", str(tmp_path), "--simulatie", str(tmp_path / "geen.csv")]
    assert main([*base, "--dask", "geen-adres"]) == 1
    assert "Dask-scheduler 'geen-adres': geen geldig adres" in capsys.readouterr().err
    with LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:  # a process, 2 threads
        assert main([*base, "--dask", cluster.scheduler_address]) == 0
        assert "render_one" in cluster.scheduler.task_prefixes  # the renders did go to the cluster
    assert "2 rapporten: 2 gemaakt, 0 ongewijzigd, 0 mislukt." in capsys.readouterr().out
    assert all("Huis van het Kind" in path.read_text() for path in tmp_path.glob("0*.html"))
    assert len(list(tmp_path.glob("0*.html"))) == 2 and (tmp_path / "index.html").exists()
