"""Italian catalog: English message id → Italian text (``(singular, plural)`` for ngettext).

Written for a sales director, not word for word: "lead", "MQL", "opportunità", "tasso di
conversione", "intervallo al 95%", "p.p." for percentage points.
"""

from __future__ import annotations

MESSAGES: dict[str, str | tuple[str, str]] = {
    # report page (templates)
    "Summary": "Sintesi",
    "Methods": "Metodi",
    "Parameters": "Parametri",
    "Not in this report": "Non incluso in questo report",
    "Contents": "Indice",
    "Data as of": "Dati al",
    "the latest data": "gli ultimi dati disponibili",
    "Generated": "Generato il",
    "Provenance": "Provenienza",
    "Parameter": "Parametro",
    "Value": "Valore",
    # units
    "day": ("giorno", "giorni"),
}
