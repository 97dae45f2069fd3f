import pandas as pd

from rapporten.gemeente import GemeenteRapport


def test_a_gemeente_without_other_scenarios_says_so_instead_of_an_empty_chart():
    rapport = GemeenteRapport("71016", "Genk", demo=False, situaties=pd.DataFrame(), verschillen=pd.DataFrame(
        columns=["scenario", "maat", "gemiddelde", "ci_laag", "ci_hoog"]))
    [section] = rapport.scenarios()
    assert "Voor deze gemeente werden geen andere scenario's gesimuleerd." in section.data
