"""Italian catalog: English message id → Italian text (``(singular, plural)`` for ngettext).

Written for a sales director, not word for word: "lead", "MQL", "opportunità", "tasso di
conversione", "intervallo al 95%", "p.p." for percentage points.
"""

from __future__ import annotations

MESSAGES: dict[str, str | tuple[str, str]] = {
    # report page (templates)
    "Summary": "Sintesi",
    # the notebooks' markdown headings
    "Detail tables": "Tabelle di dettaglio",
    "Detail per arm": "Dettaglio per variante",
    "Methods and definitions": "Metodi e definizioni",
    "Methods": "Metodi",
    "Not in this report": "Non incluso in questo report",
    "Contents": "Indice",
    "Chart": "Grafico",
    "Data as of": "Dati al",
    "the latest data": "gli ultimi dati disponibili",
    "generated": "generato il",
    "Report parameters": "Parametri del report",
    "Notebook": "Notebook",
    "yes": "sì",
    "no": "no",
    "none": "nessuno",
    "default": "predefinito",
    "the default stages": "le fasi predefinite",
    "latest in the data": "ultimi dati disponibili",
    # provenance footer
    "kit": "kit",
    "commit": "commit",
    "params": "parametri",
    "data": "dati",
    "not in git": "fuori da git",
    "not recorded": "non registrato",
    "as of": "dati al",
    "run": "esecuzione",
    "relative": "date relative",
    "read at": "lette il",
    "took": "durata",
    "rows": "righe",
    "in": "in",
    "table": ("tabella", "tabelle"),
    # units
    "day": ("giorno", "giorni"),
}
