"""Italian catalog: English message id → Italian text (``(singular, plural)`` for ngettext).

Written for a sales director, not word for word: "lead", "MQL", "opportunità", "tasso di
conversione", "intervallo al 95%", "p.p." for percentage points.
"""

from __future__ import annotations

from salesops_lib.i18n import (
    it_benchmark,
    it_experiment,
    it_forecast,
    it_funnel,
    it_kpis,
)

_ANALYSES = {
    "funnel": it_funnel,
    "experiment": it_experiment,
    "benchmark": it_benchmark,
    "kpis": it_kpis,
    "forecast": it_forecast,
}

#: The report page and what every analysis shares; each analysis's words are in ``it_<name>.py``.
_SHARED: dict[str, str | tuple[str, str]] = {
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
    # banners every analysis shares (analyses/_base.py)
    "The as-of time, {as_of}, is {gap} days after the last record in the data ({last}): "
    "nothing after {last} is observed, so recent figures are missing, not low. Set as_of to "
    "the data's last day, or load newer data.": (
        "La data di riferimento ({as_of}) cade {gap} giorni dopo l'ultimo record dei dati "
        "({last}): dopo il {last} non c'è nulla, quindi i dati recenti mancano, non sono bassi. "
        "Impostare as_of sull'ultimo giorno dei dati, oppure caricare dati più recenti."
    ),
    "The data ends before the as-of time.": "I dati finiscono prima della data di riferimento.",
    "The period asked for ends on {end}, after the as-of time ({as_of}; last record {last}): "
    "its last {days} days are not in the data, and the figures cover the period up to the "
    "as-of time only.": (
        "Il periodo richiesto termina il {end}, dopo la data di riferimento ({as_of}; ultimo "
        "record {last}): gli ultimi {days} giorni non sono nei dati, e i valori coprono il "
        "periodo solo fino alla data di riferimento."
    ),
    "Partial period.": "Periodo parziale.",
    # the index page (reports/index.html) and the error page
    "Sales operations reports": "Report commerciali",
    "salesops reports": "report salesops",
    "{n} ok": "{n} riusciti",
    "{n} failed": "{n} falliti",
    "updated {time}": "aggiornato il {time}",
    "Report": "Report",
    "Status": "Stato",
    "Last run": "Ultima esecuzione",
    "Run time": "Durata",
    "Files": "File",
    "(+{n} more in the report)": "(+{n} nel report)",
    "caution": ("avvertenza", "avvertenze"),
    "last good report": "ultimo report riuscito",
    "report": "report",
    "error details": "dettagli dell'errore",
    "archive ({n})": "archivio ({n})",
    "No reports yet. Run": "Ancora nessun report. Eseguire",
    "folder": "cartella",
    "ok": "riuscito",
    "failed": "fallito",
    "latest": "ultimi dati",
    "FAILED: {title}": "NON RIUSCITO: {title}",
    "Report run failed · for the analyst": "Esecuzione del report non riuscita · per l'analista",
    "Report {name} from notebook {notebook}": "Report {name} dal notebook {notebook}",
    "failed {time}": "non riuscito il {time}",
    "in code cell {n}": "nella cella di codice {n}",
    "Failing cell": "Cella con l'errore",
    "jump to it": "vai alla cella",
    "Traceback": "Traccia dello stack",
    "The last good report, {link}, was left as it was.": (
        "L'ultimo report riuscito, {link}, è rimasto invariato."
    ),
    "No earlier good report exists for {name}.": "Non esiste un report riuscito precedente per "
    "{name}.",
    "The notebook up to the failure follows.": "Segue il notebook fino al punto dell'errore.",
    # units
    "day": ("giorno", "giorni"),
}

#: Every Italian entry: the shared ones and each analysis's own (``it_<name>.MESSAGES``).
MESSAGES: dict[str, str | tuple[str, str]] = {
    **{k: v for mod in _ANALYSES.values() for k, v in mod.MESSAGES.items()},
    **_SHARED,
}

#: Analyses whose every word has an Italian entry (``it_<name>.COMPLETE``); the others refuse
#: ``language: it``.
COMPLETE: tuple[str, ...] = tuple(name for name, mod in _ANALYSES.items() if mod.COMPLETE)
