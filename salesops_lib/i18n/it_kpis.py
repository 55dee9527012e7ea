"""Italian catalog of the kpis report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.
"""

from __future__ import annotations

#: True once every sentence, label, chart text and methods text of the kpis report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = True

MESSAGES: dict[str, str | tuple[str, str]] = {
    # period names (analyses/_period_text.py)
    "Q{quarter} {year}": "T{quarter} {year}",
    # KPI labels (kpis/_labels.py LABELS)
    "Calls per rep per selling day": "Chiamate per venditore per giorno lavorativo",
    "Emails per rep per selling day": "E-mail per venditore per giorno lavorativo",
    "Meetings per rep per selling day": "Riunioni per venditore per giorno lavorativo",
    "Lead response time, median": "Tempo di risposta ai lead, mediana",
    "Lead response time, slowest 10%": "Tempo di risposta ai lead, 10% più lento",
    "Leads contacted within 1 hour": "Lead contattati entro 1 ora",
    "Leads contacted within 24 hours": "Lead contattati entro 24 ore",
    "MQL → SQL conversion": "Conversione MQL → SQL",
    "Win rate (deals)": "Tasso di vittoria (trattative)",
    "Win rate (value)": "Tasso di vittoria (valore)",
    "Average won deal": "Valore medio delle trattative vinte",
    "Annual contract value (ACV)": "Valore annuo del contratto (ACV)",
    "Sales cycle, median": "Ciclo di vendita, mediana",
    "Deals closed after their first expected close date": (
        "Trattative chiuse dopo la prima data di chiusura prevista"
    ),
    "Deals closed (won or lost) in the period whose close date is later than the close "
    "date expected when they were created (the first close date in opportunity_history). "
    "Deals with no expected close date on record are left out. Interval: Wilson score.": (
        "Trattative chiuse (vinte o perse) nel periodo con una data di chiusura successiva a "
        "quella prevista alla loro creazione (la prima data di chiusura in "
        "opportunity_history). Le trattative senza una data di chiusura prevista registrata "
        "sono escluse. Intervallo: score di Wilson."
    ),
    "closed later than first expected / closed with a first expected close date": (
        "chiuse dopo la prima data prevista / chiuse con una prima data di chiusura prevista"
    ),
    "Pipeline created": "Pipeline generata",
    "Open pipeline at period end": "Pipeline aperta a fine periodo",
    "Pipeline coverage": "Copertura della pipeline",
    "Sales velocity": "Velocità di vendita",
    "CAC, blended": "CAC complessivo",
    "CAC, sales only": "CAC, solo vendite",
    "CAC, marketing only": "CAC, solo marketing",
    "CAC payback": "Rientro del CAC",
    "Customer lifetime value (LTV)": "Valore del cliente nel tempo (LTV)",
    "LTV : CAC": "Rapporto LTV : CAC",
    "Magic number": "Magic number (efficienza commerciale)",
    "ACV (= average won deal: no contract term column)": (
        "ACV (= valore medio delle trattative vinte: manca la colonna della durata del contratto)"
    ),
    # KPI definitions (kpis/_labels.py DEFINITIONS)
    "Calls logged in the period per rep per selling day, over the reps employed in the "
    "period. Selling days are weekdays between hire and leaving dates (holidays not "
    "removed). Interval: reps are the sample (ratio estimator), so reps of very different "
    "activity levels widen it; a Poisson interval would be too narrow.": (
        "Chiamate registrate nel periodo per venditore per giorno lavorativo, sui venditori in "
        "organico nel periodo. I giorni lavorativi sono i giorni feriali tra assunzione e uscita "
        "(festività non escluse). Intervallo: il campione sono i venditori (stimatore del "
        "rapporto), quindi venditori con livelli di attività molto diversi lo allargano; un "
        "intervallo di Poisson sarebbe troppo stretto."
    ),
    "Σ_reps calls / Σ_reps selling days": "Σ_venditori chiamate / Σ_venditori giorni lavorativi",
    "Cochran (1977) §6.4 ratio estimator; HC1 variance": (
        "Cochran (1977) §6.4, stimatore del rapporto; varianza HC1"
    ),
    "Emails logged per rep per selling day, as for calls.": (
        "E-mail registrate per venditore per giorno lavorativo, come per le chiamate."
    ),
    "Σ_reps emails / Σ_reps selling days": "Σ_venditori e-mail / Σ_venditori giorni lavorativi",
    "Meetings logged per rep per selling day, as for calls.": (
        "Riunioni registrate per venditore per giorno lavorativo, come per le chiamate."
    ),
    "Σ_reps meetings / Σ_reps selling days": (
        "Σ_venditori riunioni / Σ_venditori giorni lavorativi"
    ),
    "Hours from a lead's creation to its first activity (activities.lead_id) for leads "
    "created in the period. Leads never contacted count as 'not yet contacted' up to the "
    "as-of time (censored), so they lengthen the estimate instead of being dropped.": (
        "Ore dalla creazione di un lead alla sua prima attività (activities.lead_id), per i "
        "lead creati nel periodo. I lead mai contattati contano come 'non ancora contattati' "
        "fino alla data di riferimento (dati censurati): allungano la stima invece di essere "
        "esclusi."
    ),
    "t such that Ŝ(t) ≤ 0.5, Ŝ = Kaplan–Meier of time to first contact": (
        "t tale che Ŝ(t) ≤ 0,5, Ŝ = Kaplan–Meier del tempo al primo contatto"
    ),
    "Kaplan & Meier (1958); Brookmeyer & Crowley (1982) interval": (
        "Kaplan & Meier (1958); intervallo di Brookmeyer & Crowley (1982)"
    ),
    "The time by which 90% of the period's leads had been contacted (censoring-aware, as "
    "the median).": (
        "Il tempo entro cui il 90% dei lead del periodo è stato contattato (tenendo conto dei "
        "dati censurati, come per la mediana)."
    ),
    "t such that Ŝ(t) ≤ 0.1": "t tale che Ŝ(t) ≤ 0,1",
    "Share of the period's leads with a first activity within 60 minutes of creation, "
    "among leads followed for at least an hour.": (
        "Quota dei lead del periodo con una prima attività entro 60 minuti dalla creazione, "
        "tra i lead seguiti per almeno un'ora."
    ),
    "contacted ≤ 60 min / leads followed ≥ 60 min (Wilson interval)": (
        "contattati ≤ 60 min / lead seguiti ≥ 60 min (intervallo di Wilson)"
    ),
    "Share of the period's leads with a first activity within 24 hours of creation, among "
    "leads followed for at least 24 hours.": (
        "Quota dei lead del periodo con una prima attività entro 24 ore dalla creazione, tra i "
        "lead seguiti per almeno 24 ore."
    ),
    "contacted ≤ 24 h / leads followed ≥ 24 h (Wilson interval)": (
        "contattati ≤ 24 h / lead seguiti ≥ 24 h (intervallo di Wilson)"
    ),
    "Share of the leads whose first MQL status (lead_history) falls in the period that "
    "reach SQL within the window after it. MQLs whose window has not elapsed by the as-of "
    "time count for the days observed (censored), so a recent period is not dropped; with "
    "every window elapsed this is converted / MQLs.": (
        "Quota dei lead con il primo stato MQL (lead_history) nel periodo che raggiungono SQL "
        "entro la finestra successiva. Gli MQL la cui finestra non è ancora trascorsa alla data "
        "di riferimento contano per i giorni osservati (dati censurati), così un periodo "
        "recente non viene escluso; con tutte le finestre trascorse equivale a convertiti / MQL."
    ),
    "1 − Ŝ(window), Ŝ = Kaplan–Meier of days from MQL to SQL": (
        "1 − Ŝ(finestra), Ŝ = Kaplan–Meier dei giorni da MQL a SQL"
    ),
    "Kaplan & Meier (1958); Kalbfleisch & Prentice (2002) log(−log) interval": (
        "Kaplan & Meier (1958); intervallo log(−log) di Kalbfleisch & Prentice (2002)"
    ),
    "Deals closed in the period (close_date in the period) that were won; won and lost "
    "come from is_won / is_closed, never from stage names.": (
        "Quota delle trattative chiuse nel periodo (close_date nel periodo) che sono state "
        "vinte; vinta e persa vengono da is_won / is_closed, mai dai nomi delle fasi."
    ),
    "won / (won + lost) (Wilson interval)": "vinte / (vinte + perse) (intervallo di Wilson)",
    "Share of the closed amount that was won; deals without an amount are left out. "
    "Interval: deals are the sample (ratio estimator).": (
        "Quota dell'importo chiuso che è stata vinta; le trattative senza importo sono escluse. "
        "Intervallo: il campione sono le trattative (stimatore del rapporto)."
    ),
    "Σ won amount / Σ closed amount": "Σ importo vinto / Σ importo chiuso",
    "Mean amount of the deals won in the period (t interval).": (
        "Importo medio delle trattative vinte nel periodo (intervallo t)."
    ),
    "Σ won amount / won deals": "Σ importo vinto / trattative vinte",
    "Mean annual contract value of the deals won in the period: amount × 12 / contract "
    "term in months when opportunities has a contract_term_months (or term_months) column; "
    "without one it equals the average won deal (amounts taken as annual).": (
        "Valore annuo medio del contratto delle trattative vinte nel periodo: importo × 12 / "
        "durata del contratto in mesi quando opportunities ha una colonna contract_term_months "
        "(o term_months); senza, coincide con il valore medio delle trattative vinte (importi "
        "considerati annuali)."
    ),
    "Σ (amount × 12 / term months) / won deals": (
        "Σ (importo × 12 / mesi di durata) / trattative vinte"
    ),
    "Median days from a deal's creation to its win, for deals created in the period. "
    "Open deals count as 'not won yet' up to the as-of time (censored); lost deals are "
    "left out (they have no time to win), so this is the cycle of deals that win.": (
        "Giorni mediani dalla creazione di una trattativa alla sua vittoria, per le trattative "
        "create nel periodo. Le trattative aperte contano come 'non ancora vinte' fino alla "
        "data di riferimento (dati censurati); le perse sono escluse (non hanno un tempo alla "
        "vittoria): è il ciclo delle trattative che si vincono."
    ),
    "t such that Ŝ(t) ≤ 0.5, Ŝ = Kaplan–Meier of creation → closed won": (
        "t tale che Ŝ(t) ≤ 0,5, Ŝ = Kaplan–Meier da creazione → chiusa vinta"
    ),
    "Amount of the deals created in the period (current amounts). A total of what "
    "happened: no interval.": (
        "Importo delle trattative create nel periodo (importi attuali). Un totale di ciò che è "
        "successo: nessun intervallo."
    ),
    "Σ amount of deals created in the period": "Σ importo delle trattative create nel periodo",
    "Amount of the deals open at the end of the period (created before it, not closed by "
    "then), at their amount as it stood then (opportunity_history when present).": (
        "Importo delle trattative aperte alla fine del periodo (create prima, non ancora "
        "chiuse), all'importo che avevano allora (da opportunity_history se presente)."
    ),
    "Σ amount of deals open at period end": "Σ importo delle trattative aperte a fine periodo",
    "Open pipeline expected to close in the period, as it stood at the period's start "
    "(expected close dates and amounts from opportunity_history), over the quota still to "
    "win (quota rows prorated by days; for a period still running, at the as-of time minus "
    "what was already won).": (
        "Pipeline aperta con chiusura prevista nel periodo, com'era all'inizio del periodo "
        "(date di chiusura previste e importi da opportunity_history), diviso l'obiettivo "
        "ancora da raggiungere (righe di obiettivo ripartite per giorni; per un periodo in "
        "corso, alla data di riferimento meno quanto già vinto)."
    ),
    "open amount with expected close in the period / (quota − won so far)": (
        "importo aperto con chiusura prevista nel periodo / (obiettivo − vinto finora)"
    ),
    "Revenue the pipeline produces per day: deals created in the period times win rate "
    "times average won deal, over the median sales cycle. No interval (a product of four "
    "estimates).": (
        "Ricavi che la pipeline produce al giorno: trattative create nel periodo per tasso di "
        "vittoria per valore medio delle trattative vinte, diviso il ciclo di vendita mediano. "
        "Nessun intervallo (prodotto di quattro stime)."
    ),
    "deals created × win rate × average won deal / median cycle days": (
        "trattative create × tasso di vittoria × valore medio vinto / giorni del ciclo mediano"
    ),
    "Sales and marketing spend of the period (spend lines prorated by days) per new "
    "customer: accounts whose first won deal closed in the period. An accounting ratio: "
    "no interval.": (
        "Spesa commerciale e di marketing del periodo (righe di spesa ripartite per giorni) "
        "per nuovo cliente: gli account la cui prima trattativa vinta si è chiusa nel periodo. "
        "Un rapporto contabile: nessun intervallo."
    ),
    "(sales + marketing spend) / new customers": "(spesa vendite + marketing) / nuovi clienti",
    "Spend with category 'sales' per new customer.": (
        "Spesa con categoria 'sales' per nuovo cliente."
    ),
    "sales spend / new customers": "spesa vendite / nuovi clienti",
    "Spend with category 'marketing' per new customer.": (
        "Spesa con categoria 'marketing' per nuovo cliente."
    ),
    "marketing spend / new customers": "spesa marketing / nuovi clienti",
    "Months of gross margin a new customer needs to repay its acquisition cost. Monthly "
    "revenue per new customer is the ACV of their deals won in the period / 12. The gross "
    "margin is a parameter (assumed), not data.": (
        "Mesi di margine lordo che servono a un nuovo cliente per ripagare il suo costo di "
        "acquisizione. I ricavi mensili per nuovo cliente sono l'ACV delle sue trattative vinte "
        "nel periodo / 12. Il margine lordo è un parametro (ipotizzato), non un dato."
    ),
    "CAC / (ACV per new customer / 12 × gross margin)": (
        "CAC / (ACV per nuovo cliente / 12 × margine lordo)"
    ),
    "Gross margin a customer brings over its expected lifetime (1 / monthly churn months). "
    "Gross margin and churn are parameters (assumed), not data.": (
        "Margine lordo che un cliente porta nella sua durata attesa (1 / churn mensile, in "
        "mesi). Margine lordo e churn sono parametri (ipotizzati), non dati."
    ),
    "(ACV per new customer / 12) × gross margin / monthly churn": (
        "(ACV per nuovo cliente / 12) × margine lordo / churn mensile"
    ),
    "Lifetime value per unit of acquisition cost (assumed margin and churn).": (
        "Valore del cliente nel tempo per unità di costo di acquisizione (margine e churn "
        "ipotizzati)."
    ),
    "LTV / CAC (blended)": "LTV / CAC (complessivo)",
    "New annual recurring revenue booked in the period (ACV of every deal won in it) per "
    "unit of sales and marketing spend in the previous period of the same length. No "
    "churn or downgrade data: this is gross new ARR.": (
        "Nuovi ricavi ricorrenti annui acquisiti nel periodo (ACV di ogni trattativa vinta) per "
        "unità di spesa commerciale e di marketing nel periodo precedente di pari durata. "
        "Mancano dati su churn e downgrade: è il nuovo ARR lordo."
    ),
    "Σ ACV won in the period / S&M spend of the previous period": (
        "Σ ACV vinto nel periodo / spesa vendite e marketing del periodo precedente"
    ),
    # what a KPI not available needs (kpis/_analysis.py)
    "table `activities`": "la tabella `activities`",
    "table `reps` (selling days per rep)": ("la tabella `reps` (giorni lavorativi per venditore)"),
    "table `leads`": "la tabella `leads`",
    "column `activities.lead_id`": "la colonna `activities.lead_id`",
    "table `lead_history`": "la tabella `lead_history`",
    "table `opportunities`": "la tabella `opportunities`",
    "column `opportunities.amount`": "la colonna `opportunities.amount`",
    "table `quotas`": "la tabella `quotas`",
    "table `opportunity_history` (expected close dates as they stood at the period's start)": (
        "la tabella `opportunity_history` (date di chiusura previste com'erano all'inizio del "
        "periodo)"
    ),
    "column `opportunity_history.close_date`": "la colonna `opportunity_history.close_date`",
    "column `opportunities.account_id` (new customers)": (
        "la colonna `opportunities.account_id` (nuovi clienti)"
    ),
    "table `spend`": "la tabella `spend`",
    "column `spend.category` (sales / marketing)": (
        "la colonna `spend.category` (sales / marketing)"
    ),
    "parameter `gross_margin` (the data has no cost of revenue)": (
        "il parametro `gross_margin` (i dati non hanno il costo del venduto)"
    ),
    "parameter `monthly_churn` (the data has no churn)": (
        "il parametro `monthly_churn` (i dati non hanno il churn)"
    ),
    "quota rows covering every day of the period": (
        "righe di obiettivo che coprano ogni giorno del periodo"
    ),
    "spend lines covering every day of the period and at least one new customer": (
        "righe di spesa che coprano ogni giorno del periodo e almeno un nuovo cliente"
    ),
    "spend lines covering every day of the previous period": (
        "righe di spesa che coprano ogni giorno del periodo precedente"
    ),
    "half of the period's deals won by the as-of time (the median is not reached yet)": (
        "metà delle trattative del periodo vinte entro la data di riferimento (la mediana non è "
        "ancora raggiunta)"
    ),
    "half of the period's leads contacted by the as-of time (not reached)": (
        "metà dei lead del periodo contattati entro la data di riferimento (non raggiunta)"
    ),
    "90% of the period's leads contacted by the as-of time (not reached)": (
        "il 90% dei lead del periodo contattati entro la data di riferimento (non raggiunto)"
    ),
    "MQLs followed for the whole window by the as-of time (not yet measurable: shorten "
    "window_days or score an earlier period)": (
        "MQL seguiti per l'intera finestra entro la data di riferimento (non ancora misurabile: "
        "accorciare window_days o valutare un periodo precedente)"
    ),
    "the median sales cycle of the period (not reached yet)": (
        "il ciclo di vendita mediano del periodo (non ancora raggiunto)"
    ),
    "data for the period": "dati per il periodo",
    # units and verdicts
    "{money} a day": "{money} al giorno",
    "{n} months": "{n} mesi",
    "{n} days": "{n} giorni",
    "{n} d": "{n} g",
    "within chance": "nei limiti del caso",
    "unchanged": "invariato",
    "better": "in miglioramento",
    "worse": "in peggioramento",
    # headline, summary, banners
    "Sales KPIs, {period}: {kpis}": "KPI commerciali, {period}: {kpis}",
    "{label} was {value}": "{label}: {value}",
    ", {change} against {previous_period} ({previous}; {verdict})": (
        ", {change} rispetto a {previous_period} ({previous}; {verdict})"
    ),
    "; target {target} met": "; obiettivo {target} raggiunto",
    "; target {target} missed": "; obiettivo {target} mancato",
    "{met} of {n} KPIs with a target met it.": (
        "{met} KPI su {n} con un obiettivo lo hanno raggiunto."
    ),
    "{met} of {n} KPIs with a target met it; missed: {missed}.": (
        "{met} KPI su {n} con un obiettivo lo hanno raggiunto; mancati: {missed}."
    ),
    "{n} of {total} KPIs cannot be computed from this data "
    "(listed under the scorecard with what each needs).": (
        "{n} KPI su {total} non si possono calcolare con questi dati (elencati sotto la "
        "scorecard, con ciò che serve a ciascuno)."
    ),
    "No KPI can be computed for {period} from this data.": (
        "Con questi dati non si può calcolare alcun KPI per {period}."
    ),
    "{period} is still running: figures cover {start} to {end}, and the comparisons use the "
    "same stretch of the earlier periods.": (
        "{period} è ancora in corso: i valori coprono dal {start} al {end}, e i confronti usano "
        "lo stesso tratto dei periodi precedenti."
    ),
    "{kpis} use an assumed gross margin {margin} and monthly churn {churn} "
    "(parameters, not data).": (
        "{kpis} usano un margine lordo ipotizzato pari a {margin} e un churn mensile pari a "
        "{churn} "
        "(parametri, non dati)."
    ),
    "{kpis} use an assumed gross margin {margin} (parameters, not data).": (
        "{kpis} usano un margine lordo ipotizzato pari a {margin} (parametri, non dati)."
    ),
    "{kpis} use an assumed monthly churn {churn} (parameters, not data).": (
        "{kpis} usano un churn mensile ipotizzato pari a {churn} (parametri, non dati)."
    ),
    "{kpis} use an assumed  (parameters, not data).": (
        "{kpis} usano valori ipotizzati (parametri, non dati)."
    ),
    "Assumed:": "Ipotesi:",
    # cards
    "95% interval {interval}, n = {n}": "intervallo al 95% {interval}, n = {n}",
    "; target {target}": "; obiettivo {target}",
    "; assumed margin": "; margine ipotizzato",
    "{change} vs {previous_period} ({verdict})": (
        "{change} rispetto a {previous_period} ({verdict})"
    ),
    # tables
    "vs {period}": "rispetto a {period}",
    "KPI": "KPI",
    " (assumed)": " (ipotizzato)",
    "value": "valore",
    "95% interval": "intervallo al 95%",
    "none: exact figure": "nessuno: valore esatto",
    "target": "obiettivo",
    "KPIs not available": "KPI non disponibili",
    "what they need": "cosa serve",
    "Not available from this data (never shown as 0)": (
        "Non disponibili con questi dati (mai mostrati come 0)"
    ),
    "Every KPI, {period}": "Tutti i KPI, {period}",
    "group": "gruppo",
    "reps": "venditori",
    "calls per rep-day": "chiamate per venditore al giorno",
    "closed deals": "trattative chiuse",
    "deals created": "trattative create",
    "units": "unità",
    "win rate": "tasso di vittoria",
    "average won deal": "valore medio delle trattative vinte",
    "pipeline created": "pipeline generata",
    "coverage": "copertura",
    "By {group}, {period}": "Per {group}, {period}",
    # sections
    "What moved against {period}": "Cosa è cambiato rispetto a {period}",
    "{a} and {b}": "{a} e {b}",
    "Against {period}: {better} improved most; {worse} worsened most": (
        "Rispetto a {period}: migliorano di più {better}; peggiorano di più {worse}"
    ),
    "Against {period}: {better} improved most": "Rispetto a {period}: migliora di più {better}",
    "Against {period}: {worse} worsened most": "Rispetto a {period}: peggiora di più {worse}",
    "Against {period}: no KPI moved beyond chance": (
        "Rispetto a {period}: nessun KPI si è mosso oltre il caso"
    ),
    "Every KPI for {period}, against {previous} and {last_year}": (
        "Tutti i KPI di {period}, rispetto a {previous} e a {last_year}"
    ),
    "Each value with its 95% interval where it estimates a rate or a time, and the number of "
    "units behind it. A change is 'within chance' when its interval includes no change. "
    "Totals, coverage and spend ratios are exact figures of what happened, not estimates, so "
    "they have no interval ('none: exact figure').": (
        "Ogni valore con il suo intervallo al 95% quando stima un tasso o un tempo, e la "
        "numerosità (n) su cui si basa. Una variazione è 'nei limiti del caso' quando il suo "
        "intervallo include lo zero. Totali, copertura e rapporti di spesa sono valori esatti "
        "di ciò che è successo, non stime, quindi non hanno intervallo ('nessuno: valore "
        "esatto')."
    ),
    "Trends over the last {n} periods": "Andamento negli ultimi {n} periodi",
    "One small chart per KPI, the period scored on the right; shaded bands are 95% "
    "intervals, dashed lines targets.": (
        "Un piccolo grafico per KPI, con il periodo valutato a destra; le bande ombreggiate "
        "sono intervalli al 95%, le linee tratteggiate gli obiettivi."
    ),
    "No KPI is available for a trend.": "Nessun KPI è disponibile per un andamento.",
    "Change of each KPI relative to its value in the previous period; green is better, "
    "orange worse, grey within chance (the bar's interval crosses zero).": (
        "Variazione di ogni KPI rispetto al suo valore nel periodo precedente; verde è meglio, "
        "arancione peggio, grigio nei limiti del caso (l'intervallo della barra attraversa lo "
        "zero)."
    ),
    "No KPI has a value for {period}.": "Nessun KPI ha un valore per {period}.",
    "The KPIs that add up over owners, by the owner's {group} (reps table); response time "
    "and cycle are shown for the company only.": (
        "I KPI che si sommano sui titolari delle trattative, per {group} del titolare (tabella "
        "reps); tempo di risposta e ciclo di vendita sono mostrati solo per l'intera azienda."
    ),
    "No breakdown was asked for (parameter `breakdown`, e.g. team or region).": (
        "Non è stata richiesta alcuna suddivisione (parametro `breakdown`, ad es. team o region)."
    ),
    "change against the previous period (%)": "variazione rispetto al periodo precedente (%)",
    # methods
    " Not available here: needs {need}.": " Non disponibile qui: serve {need}.",
    " Here: statuses '{mql}' → '{sql}', window {window}.": (
        " Qui: stati '{mql}' → '{sql}', finestra di {window}."
    ),
    " Reference: {ref}.": " Riferimento: {ref}.",
    "Period and comparisons": "Periodo e confronti",
    "{period} ({start} to {end}); previous period {previous} ({previous_start} to "
    "{previous_end}); same period last year {last_year}. Data as of {as_of}. Follow-up of "
    "leads and deals (first contact, SQL, win) runs to the as-of time for every period.": (
        "{period} (dal {start} al {end}); periodo precedente {previous} (dal {previous_start} "
        "al {previous_end}); stesso periodo dell'anno scorso {last_year}. Dati al {as_of}. Il "
        "seguito di lead e trattative (primo contatto, SQL, vittoria) arriva fino alla data di "
        "riferimento per ogni periodo."
    ),
    "Intervals and 'within chance'": "Intervalli e 'nei limiti del caso'",
    "95% intervals. Changes of proportions use Newcombe's hybrid score interval, other "
    "statistics a normal interval from both periods' standard errors (for medians derived "
    "from their intervals, an approximation); the periods are treated as independent "
    "samples. A change whose interval includes zero is called within chance.": (
        "Intervalli al 95%. Le variazioni di proporzioni usano l'intervallo score ibrido di "
        "Newcombe, le altre statistiche un intervallo normale dagli errori standard dei due "
        "periodi (per le mediane ricavati dai loro intervalli: un'approssimazione); i periodi "
        "sono trattati come campioni indipendenti. Una variazione il cui intervallo include lo "
        "zero è detta nei limiti del caso."
    ),
    "Money": "Importi",
    "All amounts in {currency}, one currency per dataset.": (
        "Tutti gli importi in {currency}, una sola valuta per insieme di dati."
    ),
    "Definitions and formulas": "Definizioni e formule",
}
