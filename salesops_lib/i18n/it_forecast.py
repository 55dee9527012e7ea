"""Italian catalog of the forecast report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.
"""

from __future__ import annotations

#: True once every sentence, label, chart text and methods text of the forecast report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = True

MESSAGES: dict[str, str | tuple[str, str]] = {
    "open deals": "trattative aperte",
    # shared with the kpis report (same Italian; repeated so each catalog stands alone)
    "Q{quarter} {year}": "T{quarter} {year}",
    "target": "obiettivo",
    "Money": "Importi",
    "All amounts in {currency}, one currency per dataset.": (
        "Tutti gli importi in {currency}, una sola valuta per insieme di dati."
    ),
    "Definitions and formulas": "Definizioni e formule",
    # methods compared, deal age and due-date cells, where the target comes from
    "this forecast (P50)": "questa previsione (P50)",
    "CRM weighted pipeline": "pipeline ponderata del CRM",
    "run rate (last 90 days)": "ritmo attuale (ultimi 90 giorni)",
    "under 30 days": "meno di 30 giorni",
    "30–89 days": "30–89 giorni",
    "90–179 days": "90–179 giorni",
    "180 days or more": "180 giorni o più",
    "overdue": "scaduta",
    "due within 30 days": "in scadenza entro 30 giorni",
    "due in 30–89 days": "in scadenza tra 30 e 89 giorni",
    "due in 90+ days or no date": "in scadenza tra 90 giorni o più, o senza data",
    "parameter": "parametro",
    "quotas": "obiettivi del periodo",
    "no quotas table in the source": "nessuna tabella quotas nella fonte dati",
    # headline, summary
    "{period} bookings forecast {p50} (80% range {p10}–{p90})": (
        "Previsione dei contratti acquisiti in {period}: {p50} (intervallo all'80% {p10}–{p90})"
    ),
    "{period} bookings forecast {p50} (80% range {p10}–{p90}); {chance} chance of reaching "
    "the {target} target": (
        "Previsione dei contratti acquisiti in {period}: {p50} (intervallo all'80% {p10}–{p90}); "
        "probabilità di raggiungere l'obiettivo di {target}: {chance}"
    ),
    "Over the {n} past windows the forecast's P50 missed by {mape} on average (mean absolute "
    "percentage error), {diff} more accurate than the best alternative, the {other} "
    "({other_mape}).": (
        "Sulle {n} finestre passate il P50 della previsione ha avuto un errore medio pari a {mape} "
        "(errore percentuale assoluto medio): {diff} più preciso della migliore alternativa "
        "({other}: {other_mape})."
    ),
    "Over the {n} past windows the forecast's P50 missed by {mape} on average (mean absolute "
    "percentage error), {diff} less accurate than the best alternative, the {other} "
    "({other_mape}).": (
        "Sulle {n} finestre passate il P50 della previsione ha avuto un errore medio pari a {mape} "
        "(errore percentuale assoluto medio): {diff} meno preciso della migliore alternativa "
        "({other}: {other_mape})."
    ),
    "Bookings closing in {period} ({start} to {end}) are forecast at {p50}, with an 80% "
    "chance of falling between {p10} and {p90} ({sims} simulations of the {deals} open deals "
    "and the deals still to come).": (
        "I contratti acquisiti che si chiuderanno in {period} (dal {start} al {end}) sono "
        "previsti in {p50}, con l'80% di probabilità di cadere tra {p10} e {p90} ({sims} "
        "simulazioni delle {deals} trattative aperte e di quelle ancora da creare)."
    ),
    "The chance of reaching the target of {target} (the quotas of the period) is {chance}.": (
        "La probabilità di raggiungere l'obiettivo di {target} (gli obiettivi del periodo) è "
        "{chance}."
    ),
    "The chance of reaching the target of {target} (set as a parameter) is {chance}.": (
        "La probabilità di raggiungere l'obiettivo di {target} (impostato come parametro) è "
        "{chance}."
    ),
    "There is no target to compare with ({why}); pass `target` (the bookings goal of the "
    "period) to add the chance of reaching it.": (
        "Non c'è un obiettivo con cui confrontarsi ({why}); impostare `target` (l'obiettivo di "
        "contratti acquisiti del periodo) per aggiungere la probabilità di raggiungerlo."
    ),
    "On average: {won} already won ({won_n} deals), {open} expected from the open deals, "
    "{new} from about {new_n} deals not yet created.": (
        "In media: {won} già vinti ({won_n} trattative), {open} attesi dalle trattative aperte, "
        "{new} da circa {new_n} trattative non ancora create."
    ),
    "On average: {open} expected from the open deals, {new} from about {new_n} deals not yet "
    "created.": (
        "In media: {open} attesi dalle trattative aperte, {new} da circa {new_n} trattative non "
        "ancora create."
    ),
    "There is no CRM weighted pipeline to compare with: none of the open deals' stages "
    "({stages}) has a probability in `stage_probabilities`.": (
        "Non c'è una pipeline ponderata del CRM con cui confrontarsi: nessuna delle fasi delle "
        "trattative aperte ({stages}) ha una probabilità in `stage_probabilities`."
    ),
    "There is no CRM weighted pipeline to compare with: none of the open deals' stages "
    "({stages}) has a probability in `stage_probabilities`; its commit roll-up {commit} and "
    "best case {best}.": (
        "Non c'è una pipeline ponderata del CRM con cui confrontarsi: nessuna delle fasi delle "
        "trattative aperte ({stages}) ha una probabilità in `stage_probabilities`; il CRM indica "
        "commit {commit} e best case {best}."
    ),
    "The CRM's weighted pipeline says {weighted}.": (
        "La pipeline ponderata del CRM indica {weighted}."
    ),
    "The CRM's weighted pipeline says {weighted}; its commit roll-up {commit} and best case "
    "{best}.": (
        "La pipeline ponderata del CRM indica {weighted}; il suo commit {commit} e il best case "
        "{best}."
    ),
    "Checked on {n} past windows: the 80% range held the actual bookings {share} of the time "
    "({k} of {n}).": (
        "Verificato su {n} finestre passate: l'intervallo all'80% ha contenuto i contratti "
        "effettivamente acquisiti in {k} casi su {n} ({share})."
    ),
    # banners
    "Only {n} past windows could be backtested (fewer than 8): the calibration claim is weak.": (
        "Solo {n} finestre passate si sono potute sottoporre a verifica storica (backtest), "
        "meno di 8: la taratura dichiarata è poco solida."
    ),
    "{share} of the open deals have too little history in their own stage × age × due-date "
    "cell; their chances come from a coarser cell.": (
        "{share} delle trattative aperte ha troppo poco storico nella propria cella fase × "
        "età × scadenza; le loro probabilità vengono da una cella più ampia."
    ),
    "The commit / best case roll-up is not shown: no open deal has a forecast category "
    "(opportunities.forecast_category).": (
        "Commit e best case non sono mostrati: nessuna trattativa aperta ha una categoria di "
        "previsione (opportunities.forecast_category)."
    ),
    "The commit / best case roll-up is not shown: the forecast is made as of {as_of}, before "
    "the data's last change ({last}), and forecast categories have no history: today's values "
    "would leak the outcome.": (
        "Commit e best case non sono mostrati: la previsione è fatta al {as_of}, prima "
        "dell'ultima modifica dei dati ({last}), e le categorie di previsione non hanno storico: "
        "i valori di oggi rivelerebbero l'esito."
    ),
    # cards
    "Bookings forecast, {period}": "Previsione dei contratti acquisiti, {period}",
    "80% range {p10}–{p90}; {sims} simulations": (
        "intervallo all'80% {p10}–{p90}; {sims} simulazioni"
    ),
    "Chance of reaching target": "Probabilità di raggiungere l'obiettivo",
    "target {target} ({source})": "obiettivo {target} ({source})",
    "{n} deals expected to close in the period × stage probability": (
        "{n} trattative con chiusura prevista nel periodo × probabilità della fase"
    ),
    "Commit / best case": "Commit / best case del CRM",
    "CRM forecast categories (current values)": (
        "categorie di previsione del CRM (valori attuali)"
    ),
    "Backtest: 80% range held": "Verifica storica (backtest): intervallo all'80% rispettato",
    "n = {n} past windows; mean CRPS {crps}": "n = {n} finestre passate; CRPS medio {crps}",
    # chart titles
    "{period}: {p50} most likely, 80% between {p10} and {p90}": (
        "{period}: {p50} il valore più probabile, all'80% tra {p10} e {p90}"
    ),
    "{period}: {p50} most likely, {chance} chance to reach {target}": (
        "{period}: {p50} il valore più probabile, {chance} di probabilità di raggiungere {target}"
    ),
    "No past window could be backtested": (
        "Nessuna finestra passata si è potuta sottoporre a verifica storica"
    ),
    "The 80% range held the actual in {k} of {n} past windows": (
        "L'intervallo all'80% ha contenuto il valore effettivo in {k} finestre passate su {n}"
    ),
    # tables
    "deal": ("trattativa", "trattative"),
    "stage": "fase",
    "amount": "importo",
    "expected close": "chiusura prevista",
    "age": "età",
    "chance to win in period": "probabilità di vincerla nel periodo",
    "history behind it": "storico su cui si basa",
    "CRM category": "categoria CRM",
    "The deals that matter most (largest swing: amount × √(p(1−p)))": (
        "Le trattative che contano di più (maggiore oscillazione: importo × √(p(1−p)))"
    ),
    "none of the open deals' stages has one, so it is not computed; set "
    "`stage_probabilities` to add it": (
        "nessuna delle fasi delle trattative aperte ne ha una, quindi non è calcolata; "
        "impostare `stage_probabilities` per aggiungerla"
    ),
    "no open deals": "nessuna trattativa aperta",
    "; stages without one count 0: {stages}": "; le fasi senza probabilità contano 0: {stages}",
    "{start} to {end}": "dal {start} al {end}",
    "window": "finestra",
    "80% range": "intervallo all'80%",
    "actual": "effettivo",
    "{amount} ({n} deals)": "{amount} ({n} trattative)",
    "inside": "dentro",
    "CRM weighted": "ponderata CRM",
    "run rate": "ritmo attuale",
    "Each past window, forecast the day before it started": (
        "Ogni finestra passata, con la previsione fatta il giorno prima dell'inizio"
    ),
    "forecast": "previsione",
    "bias (mean error)": "distorsione (errore medio)",
    "MAPE (mean absolute error)": "MAPE (errore assoluto medio)",
    "past windows": "finestre passate",
    "Accuracy on the same past windows (lower MAPE is better)": (
        "Precisione sulle stesse finestre passate (MAPE più basso è meglio)"
    ),
    "chance to win within {days} days": "probabilità di vincerla entro {days} giorni",
    "deal-snapshots behind it": "istantanee di trattative su cui si basa",
    "Learned from history: chance of an open deal closing won, by stage": (
        "Appreso dallo storico: probabilità che una trattativa aperta si chiuda vinta, per fase"
    ),
    # sections
    "Bookings in {period}: the range of outcomes": (
        "Contratti acquisiti in {period}: la gamma dei risultati possibili"
    ),
    "Each bar counts simulated outcomes of the period; the shaded band holds 80% of them (P10 "
    "to P90), the blue line is the middle (P50). The CRM's own figures are drawn beside for "
    "comparison.": (
        "Ogni barra conta i risultati simulati del periodo; la banda ombreggiata ne contiene "
        "l'80% (da P10 a P90), la linea blu è il valore centrale (P50). Per confronto sono "
        "riportati anche i valori del CRM."
    ),
    "Each bar counts simulated outcomes of the period; the shaded band holds 80% of them (P10 "
    "to P90), the blue line is the middle (P50).": (
        "Ogni barra conta i risultati simulati del periodo; la banda ombreggiata ne contiene "
        "l'80% (da P10 a P90), la linea blu è il valore centrale (P50)."
    ),
    "The deals that matter most, with their chance to win in the period": (
        "Le trattative che contano di più, con la probabilità di vincerle nel periodo"
    ),
    "Grey is what a deal brings if won, blue what it is expected to bring (amount × chance). "
    "The chance is learned from how deals at the same stage, age and expected-close position "
    "closed in the past year; n is the number of past deal-snapshots behind it.": (
        "In grigio ciò che una trattativa porta se vinta, in blu ciò che ci si aspetta che porti "
        "(importo × probabilità). La probabilità è appresa da come si sono chiuse nell'ultimo "
        "anno le trattative con la stessa fase, età e posizione rispetto alla chiusura "
        "prevista; n è il numero di istantanee passate su cui si basa."
    ),
    "No deal is open at the forecast time.": (
        "Nessuna trattativa è aperta alla data della previsione."
    ),
    "The same method run as if on the day before each of {n} past windows of the period's "
    "length (pipeline, stages, amounts and close dates as they were then), against what was "
    "actually booked. Windows start each month, so quarter windows overlap.": (
        "Lo stesso metodo applicato come il giorno prima di ciascuna di {n} finestre passate "
        "della durata del periodo (pipeline, fasi, importi e date di chiusura com'erano "
        "allora), a confronto con i contratti effettivamente acquisiti. Le finestre iniziano "
        "ogni mese, quindi le finestre trimestrali si sovrappongono."
    ),
    "No past window has enough history before it.": (
        "Nessuna finestra passata ha abbastanza storico prima di sé."
    ),
    # charts
    "share of simulations": "quota delle simulazioni",
    "bookings in the period": "contratti acquisiti nel periodo",
    "best case": "scenario best case",
    "amount if won": "importo se vinta",
    "expected": "atteso",
    "  {pct}% to win": "  {pct}% di vincerla",
    "The deals whose outcome moves the period most": (
        "Le trattative il cui esito sposta di più il periodo"
    ),
    "kit P50 (bar: 80% interval)": "P50 del kit (barra: intervallo all'80%)",
    "actual, outside the interval": "effettivo, fuori dall'intervallo",
    "window starting (forecast made the day before)": (
        "inizio della finestra (previsione fatta il giorno prima)"
    ),
    "perfect": "perfetta",
    "kit ({n} past windows)": "kit ({n} finestre passate)",
    "forecast quantile level": "livello del quantile previsto",
    "share of actuals below it": "quota dei valori effettivi al di sotto",
    "Calibration of the past forecasts": "Taratura delle previsioni passate",
    # methods
    "Chance that an open deal closes won in the period": (
        "Probabilità che una trattativa aperta si chiuda vinta nel periodo"
    ),
    "Learned from the past year: the pipeline is rebuilt as it stood every {every} days "
    "({snapshots} snapshots, {rows} deal-snapshots) from opportunity_history (stage, amount, "
    "expected close date as they were). For each cell of stage × age ({ages}) × "
    "expected-close position ({dues}), the chance of being won within {horizon} days, "
    "competing with being lost and allowing for deals still open (Aalen–Johansen). A cell "
    "with fewer than {min_cell} deal-snapshots borrows from stage × expected-close, then "
    "stage, then all. The expected-close position carries the close-date slip: deals due soon "
    "that usually slip get the chance they had in the past.": (
        "Appresa dall'ultimo anno: la pipeline viene ricostruita com'era ogni {every} giorni "
        "({snapshots} istantanee, {rows} istantanee di trattative) da opportunity_history (fase, "
        "importo, data di chiusura prevista com'erano). Per ogni cella fase × età ({ages}) × "
        "posizione rispetto alla chiusura prevista ({dues}), la probabilità di essere vinta "
        "entro {horizon} giorni, in competizione con l'essere persa e tenendo conto delle "
        "trattative ancora aperte (Aalen–Johansen). Una cella con meno di {min_cell} istantanee "
        "prende in prestito da fase × chiusura prevista, poi dalla fase, poi da tutte. La "
        "posizione rispetto alla chiusura prevista incorpora lo slittamento della data di "
        "chiusura: le trattative in scadenza a breve che di solito slittano ricevono la "
        "probabilità che avevano in passato."
    ),
    "F(h) = Σ over days t ≤ h of Ŝ(t−1) · won_t / at_risk_t": (
        "F(h) = Σ sui giorni t ≤ h di Ŝ(t−1) · vinte_t / a_rischio_t"
    ),
    "Amount at signature": "Importo alla firma",
    "Open amounts are scaled by how much won deals' amounts moved between the snapshot and "
    "the signature in the past year (× {ratio}).": (
        "Gli importi aperti sono riscalati di quanto sono variati, nell'ultimo anno, gli importi "
        "delle trattative vinte tra l'istantanea e la firma (× {ratio})."
    ),
    "Σ final won amount / Σ amount at snapshot": (
        "Σ importo finale vinto / Σ importo all'istantanea"
    ),
    "Deals not yet created": "Trattative non ancora create",
    "Created at the rate of the last 90 days times the season ({rate} a day, season factor "
    "{season}: creations in the period a year earlier over the 90 days before the forecast "
    "time a year earlier), each won in the time left with the chance learned from deals "
    "created in the past year (cycle time, Aalen–Johansen); their size is drawn from deals "
    "won in the past year within that many days of creation.": (
        "Create al ritmo degli ultimi 90 giorni per la stagionalità ({rate} al giorno, fattore "
        "stagionale {season}: creazioni nel periodo un anno prima diviso i 90 giorni prima "
        "della data di previsione un anno prima), ciascuna vinta nel tempo rimanente con la "
        "probabilità appresa dalle trattative create nell'ultimo anno (durata del ciclo, "
        "Aalen–Johansen); il loro importo è estratto dalle trattative vinte nell'ultimo anno "
        "entro altrettanti giorni dalla creazione."
    ),
    "Monte Carlo": "Simulazione Monte Carlo",
    "{sims} draws with seed {seed} (numpy Generator): each open deal won or not with its "
    "chance, plus the new deals; P10 / P50 / P90 are quantiles of the draws, the chance of "
    "reaching the target the share of draws at or above it. Deals are independent given their "
    "chances, and every draw is scaled by a shock common to all deals (lognormal, mean 1), "
    "whose size is estimated from how far past pipelines landed from their expected bookings "
    "beyond what chance alone explains (here {sd} standard deviation, from {shock_n} "
    "overlapping weekly snapshots).": (
        "{sims} estrazioni con seme {seed} (numpy Generator): ogni trattativa aperta vinta o no "
        "secondo la sua probabilità, più le nuove trattative; P10 / P50 / P90 sono quantili "
        "delle estrazioni, la probabilità di raggiungere l'obiettivo la quota di estrazioni pari "
        "o superiori. Le trattative sono indipendenti date le loro probabilità, e ogni "
        "estrazione è riscalata da uno shock comune a tutte (lognormale, media 1), la cui "
        "ampiezza è stimata da quanto le pipeline passate si sono discostate dai contratti "
        "attesi oltre quanto spiega il solo caso (qui deviazione standard pari a {sd}, da "
        "{shock_n} "
        "istantanee settimanali sovrapposte)."
    ),
    "τ² = mean(log(O_s/E_s)² − Var_indep,s/E_s²)": ("τ² = media(log(O_s/E_s)² − Var_indep,s/E_s²)"),
    "CRM weighted pipeline, commit, best case": "Pipeline ponderata del CRM, commit, best case",
    "Weighted: amount × the CRM's stage probability ({probabilities}) over open deals "
    "expected to close in the period, plus what is already won. Commit: won + open deals in "
    "category Commit; best case: commit + Best Case. Forecast categories have no history: "
    "they are the current values.": (
        "Ponderata: importo × probabilità della fase nel CRM ({probabilities}) sulle trattative "
        "aperte con chiusura prevista nel periodo, più quanto già vinto. Commit: vinto + "
        "trattative aperte in categoria Commit; best case: commit + Best Case. Le categorie di "
        "previsione non hanno storico: sono i valori attuali."
    ),
    "Backtest": "Verifica storica (backtest)",
    "Bias: mean of (forecast − actual) / actual; MAPE: mean of |forecast − actual| / actual; "
    "coverage: share of windows whose actual falls in the 80% range; CRPS: the continuous "
    "ranked probability score of the simulated distribution (money; lower is better). Run "
    "rate: bookings of the 90 days before the window, scaled to its length.": (
        "Distorsione: media di (previsione − effettivo) / effettivo; MAPE: media di |previsione "
        "− effettivo| / effettivo; copertura: quota di finestre il cui valore effettivo cade "
        "nell'intervallo all'80%; CRPS: il continuous ranked probability score della "
        "distribuzione simulata (in valuta; più basso è meglio). Ritmo attuale (run rate): "
        "contratti acquisiti nei 90 giorni prima della finestra, riportati alla sua durata."
    ),
}
