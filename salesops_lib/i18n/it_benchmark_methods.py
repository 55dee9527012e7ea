"""Italian catalog of the benchmark report, second part: the metric names, definitions and
formulas (``analyses/benchmark/_definitions.METRICS``), the methods appendix and the notes on
what the data cannot support. Merged into :data:`salesops_lib.i18n.it_benchmark.MESSAGES`
(one catalog file would pass the 900-line rule).
"""

from __future__ import annotations

METHODS: dict[str, str | tuple[str, str]] = {
    # ------------------------------------------------------------------ metric names and units
    "Win rate (by count)": "Tasso di vittoria (per numero)",
    "Share of deals closed in the period (won or lost) that were won. Won/lost come from "
    "is_won/is_closed, not from the stage label; open deals are not counted.": (
        "Quota delle trattative chiuse nel periodo (vinte o perse) che sono state vinte. "
        "Vinta/persa viene da is_won/is_closed, non dal nome della fase; le trattative aperte "
        "non sono contate."
    ),
    "won ÷ (won + lost)": "vinte ÷ (vinte + perse)",
    "Win rate (by value)": "Tasso di vittoria (per valore)",
    "Share of the amount of deals closed in the period that was won.": (
        "Quota dell'importo delle trattative chiuse nel periodo che è stata vinta."
    ),
    "Σ amount(won) ÷ Σ amount(won + lost)": "Σ importo(vinte) ÷ Σ importo(vinte + perse)",
    "Average won deal size": "Valore medio del contratto",
    "Mean amount of deals won in the period (deals without an amount are left out of the mean).": (
        "Importo medio delle trattative vinte nel periodo (le trattative senza importo sono "
        "escluse dalla media)."
    ),
    "Σ amount(won) ÷ number of won deals with an amount": (
        "Σ importo(vinte) ÷ numero di trattative vinte con un importo"
    ),
    "Average won deal size (ACV)": "Valore medio del contratto (ACV)",
    "Mean annual contract value of deals won in the period: amount × 12 ÷ contract term in "
    "months where a term exists, the amount otherwise.": (
        "Valore annuo medio del contratto delle trattative vinte nel periodo: importo × 12 ÷ "
        "durata del contratto in mesi dove la durata esiste, altrimenti l'importo."
    ),
    "Σ ACV(won) ÷ number of won deals": "Σ ACV(vinte) ÷ numero di trattative vinte",
    "Sales-cycle length (median)": "Durata del ciclo di vendita (mediana)",
    "Median days from a deal's creation to its close (won or lost), for deals created in the "
    "period. Deals still open at the as-of time count as 'not closed yet' (censored) rather "
    "than being dropped, so slow deals are not hidden (Kaplan–Meier median).": (
        "Giorni mediani dalla creazione di una trattativa alla sua chiusura (vinta o persa), "
        "per le trattative create nel periodo. Le trattative ancora aperte alla data di "
        "riferimento contano come 'non ancora chiuse' (censurate) invece di essere scartate, "
        "così le trattative lente non vengono nascoste (mediana di Kaplan–Meier)."
    ),
    "median T, T = close_date − created_at; open deals censored at as_of": (
        "mediana di T, T = close_date − created_at; trattative aperte censurate ad as_of"
    ),
    "Activities per active selling day": "Attività per giorno di vendita attivo",
    "Logged activities of all types in the period ÷ the rep's active selling days. An active "
    "selling day is a working day (Monday–Friday) within the period on which the rep was "
    "employed (between hired_at and left_at); public holidays are not removed.": (
        "Attività registrate di ogni tipo nel periodo ÷ i giorni di vendita attivi del "
        "venditore. Un giorno di vendita attivo è un giorno lavorativo (lunedì–venerdì) del "
        "periodo in cui il venditore era in organico (tra hired_at e left_at); le festività "
        "non sono escluse."
    ),
    "activities ÷ active selling days": "attività ÷ giorni di vendita attivi",
    "Calls per active selling day": "Chiamate per giorno di vendita attivo",
    "Activities of type 'call' ÷ active selling days.": (
        "Attività di tipo 'call' ÷ giorni di vendita attivi."
    ),
    "calls ÷ active selling days": "chiamate ÷ giorni di vendita attivi",
    "Emails per active selling day": "E-mail per giorno di vendita attivo",
    "Activities of type 'email' ÷ active selling days.": (
        "Attività di tipo 'email' ÷ giorni di vendita attivi."
    ),
    "emails ÷ active selling days": "e-mail ÷ giorni di vendita attivi",
    "Meetings per active selling day": "Riunioni per giorno di vendita attivo",
    "Activities of type 'meeting' ÷ active selling days.": (
        "Attività di tipo 'meeting' ÷ giorni di vendita attivi."
    ),
    "meetings ÷ active selling days": "riunioni ÷ giorni di vendita attivi",
    "Opportunities created": "Opportunità create",
    "Deals owned by the rep with created_at in the period.": (
        "Trattative del venditore con created_at nel periodo."
    ),
    "count(created_at in period)": "conteggio(created_at nel periodo)",
    "Pipeline generated": "Pipeline generata",
    "Total amount of the deals created in the period.": (
        "Importo totale delle trattative create nel periodo."
    ),
    "Σ amount(created in period)": "Σ importo(create nel periodo)",
    "Quota attainment": "Raggiungimento dell'obiettivo",
    "Won amount in the period ÷ the rep's adjusted quota for the period. Quota rows are "
    "prorated to the days of the period (up to the as-of date) on which the rep was employed, "
    "and ramped for new hires: in tenure month m (m = 0 is the first month after hired_at) the "
    "rep carries ramp_schedule[m] of the quota, the full quota after the schedule ends. "
    "Attainment is an observed ratio, not an estimate, so it has no interval.": (
        "Importo vinto nel periodo ÷ l'obiettivo rettificato del venditore per il periodo. Le "
        "righe di obiettivo sono riproporzionate ai giorni del periodo (fino alla data di "
        "riferimento) in cui il venditore era in organico, e ridotte per i nuovi assunti: nel "
        "mese di anzianità m (m = 0 è il primo mese dopo hired_at) il venditore porta "
        "ramp_schedule[m] dell'obiettivo, l'obiettivo pieno al termine del piano. Il "
        "raggiungimento dell'obiettivo è un rapporto osservato, non una stima, quindi non ha "
        "intervallo."
    ),
    "Σ amount(won) ÷ Σ_rows quota × (1/D) Σ_days employed(t) × ramp(t)": (
        "Σ importo(vinte) ÷ Σ_righe obiettivo × (1/D) Σ_giorni in_organico(t) × ramp(t)"
    ),
    "Reps at or above quota": "Venditori pari o sopra l'obiettivo",
    "Share of reps with a quota whose attainment is at least 100%.": (
        "Quota dei venditori con un obiettivo il cui raggiungimento è almeno il 100%."
    ),
    "#(attainment ≥ 100%) ÷ #reps with a quota": (
        "#(raggiungimento ≥ 100%) ÷ #venditori con un obiettivo"
    ),
    "Sales velocity": "Velocità di vendita",
    "Revenue the open pipeline is expected to produce per day: deals open at the as-of time "
    "× win rate × average won deal size ÷ median sales-cycle length (all from the period).": (
        "Ricavi attesi al giorno dalla pipeline aperta: trattative aperte alla data di "
        "riferimento × tasso di vittoria × valore medio del contratto ÷ durata mediana del "
        "ciclo di vendita (tutto dal periodo)."
    ),
    "open opportunities × win rate × average won deal ÷ cycle length (days)": (
        "opportunità aperte × tasso di vittoria × valore medio del contratto ÷ durata del ciclo "
        "(giorni)"
    ),
    "Leads per rep (territory)": "Lead per venditore (territorio)",
    "Leads created in the period in the territory ÷ the territory's full-time-equivalent reps "
    "(active selling days of its reps ÷ working days in the period).": (
        "Lead creati nel periodo nel territorio ÷ i venditori equivalenti a tempo pieno del "
        "territorio (giorni di vendita attivi dei suoi venditori ÷ giorni lavorativi del "
        "periodo)."
    ),
    "leads ÷ FTE reps": "lead ÷ venditori FTE",
    # parts of the analysis the data may not support
    "quota attainment": "il raggiungimento dell'obiettivo",
    "activity rates": "i tassi di attività",
    "territory balance": "l'equilibrio tra territori",
    "lead assignment": "l'assegnazione dei lead",
    "figures by team": "i valori per team",
    "figures by region": "i valori per regione",
    "figures by territory": "i valori per territorio",
    "amount-based figures (win rate by value, average won deal, pipeline, velocity)": (
        "i valori basati sugli importi (tasso di vittoria per valore, valore medio del "
        "contratto, pipeline, velocità)"
    ),
    "the win rate by value": "il tasso di vittoria per valore",
    "pipeline generated": "la pipeline generata",
    "open pipeline": "la pipeline aperta",
    "territory balance and lead assignment": (
        "l'equilibrio tra territori e l'assegnazione dei lead"
    ),
    # coded values shown in tables and charts
    "higher": "più alto",
    "lower": "più basso",
    "overloaded": "sovraccarico",
    "underloaded": "sottoutilizzato",
    "balanced": "in equilibrio",
    "no reps": "nessun venditore",
    "above 99.8%": "sopra 99,8%",
    "possible: above 95%": "possibile: sopra 95%",
    "within": "entro i limiti",
    "possible: below 95%": "possibile: sotto 95%",
    "below 99.8%": "sotto 99,8%",
    "probably above": "probabilmente sopra",
    "probably below": "probabilmente sotto",
    "mixed signals": "segnali contrastanti",
    "No team": "Nessun team",
    "No region": "Nessuna regione",
    "No territory": "Nessun territorio",
    "Unknown rep": "Venditore sconosciuto",
    # ------------------------------------------------------------------ methods
    "Won amount in the period ÷ the rep's quota for the period as stored in the source "
    "(already prorated to days employed and ramped for new hires). Attainment is an observed "
    "ratio, not an estimate, so it has no interval.": (
        "Importo vinto nel periodo ÷ l'obiettivo del venditore per il periodo così come "
        "memorizzato nella fonte (già riproporzionato ai giorni in organico e ridotto per i "
        "nuovi assunti). Il raggiungimento dell'obiettivo è un rapporto osservato, non una "
        "stima, quindi non ha intervallo."
    ),
    "Σ amount(won) ÷ Σ quota (rows prorated to the period)": (
        "Σ importo(vinte) ÷ Σ obiettivo (righe riproporzionate al periodo)"
    ),
    "Period and as-of time": "Periodo e data di riferimento",
    "Deals closed, deals and leads created and activities logged from {start} to {end}; data "
    "as of {as_of}. Rows: {rows}.": (
        "Trattative chiuse, trattative e lead creati e attività registrate "
        "nel periodo {start} – {end}; dati al {as_of}. Righe: {rows}."
    ),
    "Deals closed, deals and leads created from {start} to {end}; data as of {as_of}. Rows: "
    "{rows}.": (
        "Trattative chiuse, trattative e lead creati nel periodo {start} – {end}; dati al {as_of}. "
        "Righe: {rows}."
    ),
    "Deals closed, deals created and activities logged from {start} to {end}; data as of "
    "{as_of}. Rows: {rows}.": (
        "Trattative chiuse, trattative create e attività registrate nel periodo {start} – {end}; "
        "dati "
        "al {as_of}. Righe: {rows}."
    ),
    "Deals closed, deals created from {start} to {end}; data as of {as_of}. Rows: {rows}.": (
        "Trattative chiuse e trattative create nel periodo {start} – {end}; dati al {as_of}. "
        "Righe: "
        "{rows}."
    ),
    "deals closed": "trattative chiuse",
    "deals created": "trattative create",
    "activities": "attività",
    "leads": "lead",
    "quota rows": "righe di obiettivo",
    "reps": "venditori",
    "Ramp schedule": "Piano di inserimento (ramp)",
    "New hires carry {ramp} of their quota in tenure months 1, 2, 3, … and the full quota "
    "afterwards (parameter ramp_schedule); quotas are prorated to the days each rep was "
    "employed.": (
        "I nuovi assunti portano rispettivamente {ramp} del loro obiettivo nei mesi di anzianità "
        "1, 2, 3, … "
        "e l'obiettivo pieno in seguito (parametro ramp_schedule); gli obiettivi sono "
        "riproporzionati ai giorni in cui ogni venditore era in organico."
    ),
    "Quotas are used as stored: the source already prorates them to days employed and lowers "
    "them for new hires' ramp (parameter quota_basis = adjusted). A quota row that straddles "
    "the period boundary is prorated by calendar days.": (
        "Gli obiettivi sono usati così come memorizzati: la fonte li riproporziona già ai "
        "giorni in organico e li riduce per l'inserimento dei nuovi assunti (parametro "
        "quota_basis = adjusted). Una riga di obiettivo a cavallo del limite del periodo è "
        "riproporzionata per giorni di calendario."
    ),
    "Credited to a rep": "Attribuito a un venditore",
    "A rep is credited only with deals closed, deals created and activities logged while "
    "employed: on or after hired_at and on or before left_at. A deal still open when its "
    "owner left is censored at the leaving date in the sales-cycle median. Deals closed "
    "after their owner left (or before they were hired) are not credited to any rep and are "
    "left out of rep, team, region and company figures; they are counted in a banner "
    "instead: this period {closed} deal(s), {won} won, worth {amount} in won amount.": (
        "A un venditore sono attribuite solo le trattative chiuse, le trattative create e le "
        "attività registrate mentre era in organico: da hired_at a left_at compresi. Una "
        "trattativa ancora aperta quando il suo titolare è uscito è censurata alla data di "
        "uscita nella mediana del ciclo di vendita. Le trattative chiuse dopo l'uscita del "
        "titolare (o prima della sua assunzione) non sono attribuite ad alcun venditore e sono "
        "escluse dai valori di venditori, team, regioni e azienda; sono invece contate in un "
        "avviso: in questo periodo trattative: {closed}, di cui vinte: {won}, per {amount} di "
        "importo vinto."
    ),
    "A rep is credited only with deals closed, deals created and activities logged while "
    "employed: on or after hired_at and on or before left_at. A deal still open when its "
    "owner left is censored at the leaving date in the sales-cycle median. Deals closed "
    "after their owner left (or before they were hired) are not credited to any rep and are "
    "left out of rep, team, region and company figures; they are counted in a banner "
    "instead: none this period.": (
        "A un venditore sono attribuite solo le trattative chiuse, le trattative create e le "
        "attività registrate mentre era in organico: da hired_at a left_at compresi. Una "
        "trattativa ancora aperta quando il suo titolare è uscito è censurata alla data di "
        "uscita nella mediana del ciclo di vendita. Le trattative chiuse dopo l'uscita del "
        "titolare (o prima della sua assunzione) non sono attribuite ad alcun venditore e sono "
        "escluse dai valori di venditori, team, regioni e azienda; sono invece contate in un "
        "avviso: nessuna in questo periodo."
    ),
    "Per rep (full-time equivalent)": "Per venditore (equivalente a tempo pieno)",
    "Counts and amounts 'per rep' divide by full-time-equivalent reps, not heads: each rep "
    "counts as active selling days ÷ working days in the period ({working_days} working "
    "days; {fte} FTE reps this period), so a rep who left early or joined late counts in "
    "part. Internal medians and top quartiles use only reps with at least one selling day in "
    "the period; a rep's count is divided by the rep's own FTE share before taking the "
    "median.": (
        "Conteggi e importi 'per venditore' dividono per i venditori equivalenti a tempo "
        "pieno, non per le persone: ogni venditore conta come giorni di vendita attivi ÷ "
        "giorni lavorativi del periodo ({working_days} giorni lavorativi; {fte} venditori FTE "
        "in questo periodo), così chi è uscito prima o entrato dopo conta in parte. Mediane e "
        "quartili migliori interni usano solo i venditori con almeno un giorno di vendita nel "
        "periodo; il conteggio di un venditore è diviso per la sua quota FTE prima di "
        "calcolare la mediana."
    ),
    "Intervals": "Intervalli",
    "Every interval is a {pct} interval: Wilson score for win rates and shares; a "
    "ratio-estimator (linearised) interval for the win rate by value; exact Poisson "
    "(Garwood) for one rep's activities per day; for a team, region or the company, "
    "activities per day treat the reps as the sample (days-weighted mean of rep rates with a "
    "cluster-robust standard error and a t distribution with reps − 1 degrees of freedom), "
    "because reps' activity levels differ far more than chance; Brookmeyer–Crowley for the "
    "median sales cycle.": (
        "Ogni intervallo è un intervallo al {pct}: score di Wilson per tassi di vittoria e "
        "quote; intervallo dello stimatore del rapporto (linearizzato) per il tasso di "
        "vittoria per valore; Poisson esatto (Garwood) per le attività al giorno di un "
        "venditore; per un team, una regione o l'azienda, le attività al giorno trattano i "
        "venditori come campione (media dei tassi dei venditori pesata per i giorni, con "
        "errore standard robusto per cluster e distribuzione t con venditori − 1 gradi di "
        "libertà), perché i livelli di attività dei venditori differiscono molto più di "
        "quanto farebbe il caso; Brookmeyer–Crowley per il ciclo di vendita mediano."
    ),
    "Hierarchical beta-binomial estimate: reps' win rates are drawn from a common beta "
    "distribution whose mean and spread are themselves uncertain (averaged over a grid with a "
    "weak prior, Gelman et al., BDA 5.3), and each rep's rate is the posterior mean, pulled "
    "towards the company rate the more, the fewer deals the rep closed. Its interval is the "
    "95% posterior (credible) interval; averaging over the spread keeps it honest when reps "
    "barely differ. The above/below calls use the moment-fitted beta (mean = the company "
    "rate).": (
        "Stima beta-binomiale gerarchica: i tassi di vittoria dei venditori provengono da una "
        "distribuzione beta comune, la cui media e dispersione sono a loro volta incerte "
        "(mediate su una griglia con una prior debole, Gelman et al., BDA 5.3), e il tasso di "
        "ogni venditore è la media a posteriori, avvicinata al tasso aziendale tanto più "
        "quanto meno trattative il venditore ha chiuso. Il suo intervallo è l'intervallo a "
        "posteriori (di credibilità) al 95%; mediare sulla dispersione lo mantiene onesto "
        "quando i venditori differiscono poco. I giudizi sopra/sotto usano la beta stimata con "
        "il metodo dei momenti (media = il tasso aziendale)."
    ),
    "E[(α + won) ÷ (α + β + closed)], averaged over (α, β)": (
        "E[(α + vinte) ÷ (α + β + chiuse)], mediata su (α, β)"
    ),
    "The rep's median rank (1 = best) over draws of all reps' win rates from their posterior "
    "distributions, and the range of ranks the rep takes in 95% of the draws. Median ranks "
    "can tie or skip numbers; overlapping ranges mean the order between those reps is not "
    "settled.": (
        "La posizione mediana del venditore (1 = migliore) su estrazioni dei tassi di "
        "vittoria di tutti i venditori dalle loro distribuzioni a posteriori, e l'intervallo "
        "delle posizioni che il venditore occupa nel 95% delle estrazioni. Le posizioni "
        "mediane possono essere pari merito o saltare numeri; intervalli sovrapposti indicano "
        "che l'ordine tra quei venditori non è definito."
    ),
    "Clearly / probably above or below": "Nettamente / probabilmente sopra o sotto",
    "For each of the {n} reps with closed deals we compute the posterior probability that "
    "the true win rate is above the company rate. Looking at {n} reps at once, about "
    "{expected} per side would pass a {c} bar by chance alone, so a rep is called clearly "
    "above (below) only at {clear} or more: 1 − (1 − {c}) ÷ {n} (Bonferroni), which keeps "
    "the chance of calling any rep whose true rate equals the company rate clearly above at "
    "about {alpha} or less (and the same for clearly below). Reps between {c} and {clear} "
    "are 'probably' above (below): on the watch list, not named as top performers or as "
    "needing support, and not coloured in the charts.": (
        "Per ciascuno dei {n} venditori con trattative chiuse calcoliamo la probabilità a "
        "posteriori che il vero tasso di vittoria sia sopra il tasso aziendale. Guardando {n} "
        "venditori insieme, circa {expected} per lato supererebbero una soglia di {c} per "
        "puro caso, quindi un venditore è giudicato nettamente sopra (sotto) solo con {clear} o "
        "più: 1 − (1 − {c}) ÷ {n} (Bonferroni), il che mantiene la probabilità di giudicare "
        "nettamente sopra un venditore il cui vero tasso è pari a quello aziendale intorno a "
        "{alpha} o meno (e lo stesso per nettamente sotto). I venditori tra {c} e "
        "{clear} sono 'probabilmente' sopra (sotto): nella lista di osservazione, non indicati "
        "come migliori né come bisognosi di supporto, e non colorati nei grafici."
    ),
    "clear if P(p > company) ≥ 1 − (1 − c) ÷ m, c = {c}, m = {m}": (
        "netto se P(p > azienda) ≥ 1 − (1 − c) ÷ m, c = {c}, m = {m}"
    ),
    "Each rep's win rate against the number of closed deals, with control limits around the "
    "company rate (Spiegelhalter 2005). A rep whose true rate is the company rate falls "
    "outside the 95% limits with probability 1 in 20, so among {n} reps about {expected} "
    "land there by chance: reps between the 95% and 99.8% limits are only 'possible' "
    "outliers (grey labels). Outside the 99.8% limits (1 in 500 per rep, about {expected998} "
    "expected by chance among {n}) a rep is an outlier (coloured).": (
        "Il tasso di vittoria di ogni venditore rispetto al numero di trattative chiuse, con "
        "limiti di controllo attorno al tasso aziendale (Spiegelhalter 2005). Un venditore il "
        "cui vero tasso è quello aziendale cade fuori dai limiti al 95% con probabilità 1 su "
        "20, quindi su {n} venditori circa {expected} ci cadono per caso: i venditori tra i "
        "limiti al 95% e al 99,8% sono solo valori anomali 'possibili' (etichette grigie). "
        "Fuori dai limiti al 99,8% (1 su 500 per venditore, circa {expected998} attesi per "
        "caso su {n}) un venditore è un valore anomalo (colorato)."
    ),
    "A rep is listed for win rate only when clearly above (recognition) or below (coaching) "
    "the company rate (see above); for attainment when ramp-adjusted attainment is at least "
    "{high} or below {low} with at least {n} closed deals; for activity when activities per "
    "day are below 75% of the median rep and the interval lies below the median. Small "
    "samples therefore cannot top or bottom the list on luck.": (
        "Un venditore è elencato per il tasso di vittoria solo se nettamente sopra "
        "(riconoscimento) o sotto (coaching) il tasso aziendale (vedi sopra); per il "
        "raggiungimento dell'obiettivo se il raggiungimento rettificato per l'inserimento è "
        "almeno pari a {high} o inferiore a {low} con almeno {n} trattative chiuse; per l'attività "
        "se "
        "le attività al giorno sono sotto il 75% del venditore mediano e l'intervallo è sotto "
        "la mediana. Così i piccoli campioni non possono finire in cima o in fondo alla lista "
        "per fortuna."
    ),
    "A rep is listed for win rate only when clearly above (recognition) or below (coaching) "
    "the company rate (see above); for attainment when ramp-adjusted attainment is at least "
    "{high} or below {low} with at least {n} closed deals. Small samples therefore cannot top "
    "or bottom the list on luck.": (
        "Un venditore è elencato per il tasso di vittoria solo se nettamente sopra "
        "(riconoscimento) o sotto (coaching) il tasso aziendale (vedi sopra); per il "
        "raggiungimento dell'obiettivo se il raggiungimento rettificato per l'inserimento è "
        "almeno pari a {high} o inferiore a {low} con almeno {n} trattative chiuse. Così i piccoli "
        "campioni non possono finire in cima o in fondo alla lista per fortuna."
    ),
    "A rep is listed for win rate only when clearly above (recognition) or below (coaching) "
    "the company rate (see above); for activity when activities per day are below 75% of the "
    "median rep and the interval lies below the median. Small samples therefore cannot top "
    "or bottom the list on luck.": (
        "Un venditore è elencato per il tasso di vittoria solo se nettamente sopra "
        "(riconoscimento) o sotto (coaching) il tasso aziendale (vedi sopra); per l'attività se "
        "le attività al giorno sono sotto il 75% del venditore mediano e l'intervallo è sotto "
        "la mediana. Così i piccoli campioni non possono finire in cima o in fondo alla lista "
        "per fortuna."
    ),
    "A rep is listed for win rate only when clearly above (recognition) or below (coaching) "
    "the company rate (see above). Small samples therefore cannot top or bottom the list on "
    "luck.": (
        "Un venditore è elencato per il tasso di vittoria solo se nettamente sopra "
        "(riconoscimento) o sotto (coaching) il tasso aziendale (vedi sopra). Così i piccoli "
        "campioni non possono finire in cima o in fondo alla lista per fortuna."
    ),
    "External benchmarks": "Benchmark esterni",
    "Each external figure keeps its publisher's definition, source and year. It is compared "
    "with ours in the summary and the cards only when it is a real figure (not marked "
    "placeholder: true in the benchmarks file) and declared like_for_like: true. Figures "
    "measured differently (another segment, won deals only, annual quota, …) are shown in the "
    "benchmarks table, flagged as not like-for-like with the difference stated.": (
        "Ogni valore esterno mantiene la definizione, la fonte e l'anno del suo editore. È "
        "confrontato con il nostro nella sintesi e nelle schede solo se è un valore reale (non "
        "indicato come placeholder: true nel file dei benchmark) e dichiarato like_for_like: "
        "true. I valori misurati diversamente (un altro segmento, solo trattative vinte, "
        "obiettivo annuale, …) compaiono nella tabella dei benchmark, segnalati come non "
        "omogenei con la differenza indicata."
    ),
    "Territory balance": "Equilibrio tra territori",
    "Leads created in the period, accounts and open pipeline at the as-of time per "
    "full-time-equivalent rep (active selling days ÷ working days in the period). A "
    "territory is overloaded when its leads per rep are at least {ratio}× the median "
    "territory, underloaded at most 1/{ratio}×. Coefficient of variation = standard "
    "deviation ÷ mean; Gini = mean absolute difference ÷ (2 × mean), 0 = perfectly even.": (
        "Lead creati nel periodo, account e pipeline aperta alla data di riferimento per "
        "venditore equivalente a tempo pieno (giorni di vendita attivi ÷ giorni lavorativi "
        "del periodo). Un territorio è sovraccarico quando i suoi lead per venditore sono "
        "almeno {ratio}× il territorio mediano, sottoutilizzato quando sono al massimo "
        "1/{ratio}×. Coefficiente di variazione = deviazione standard ÷ media; Gini = "
        "differenza media assoluta ÷ (2 × media), 0 = perfettamente uniforme."
    ),
    "Small samples": "Piccoli campioni",
    "Reps with fewer than {n} closed deals are marked (hollow markers, 'n < {n}').": (
        "I venditori con meno di {n} trattative chiuse sono segnalati (indicatori vuoti, "
        "'n < {n}')."
    ),
    "Not computed: {what}": "Non calcolato: {what}",
    "Unknown reps": "Venditori sconosciuti",
    "Deals, activities and leads of owners missing from the reps table ({owners}) are "
    "grouped as 'Unknown rep': counted in company totals, not ranked.": (
        "Trattative, attività e lead di titolari assenti dalla tabella dei venditori "
        "({owners}) sono raggruppati come 'Venditore sconosciuto': contati nei totali "
        "aziendali, non in classifica."
    ),
    # ------------------------------------------------------------------ not available
    "This data has no `{table}` table, so {what} are not shown. Add `{table}` ({columns}; "
    "see the data model) to see them.": (
        "Questi dati non hanno la tabella `{table}`, quindi {what} non compaiono. Aggiungere "
        "`{table}` ({columns}; vedere il modello dati) per vederli."
    ),
    "This data has no `{table}` table, so {what} is not shown. Add `{table}` ({columns}; "
    "see the data model) to see it.": (
        "Questi dati non hanno la tabella `{table}`, quindi {what} non compare. Aggiungere "
        "`{table}` ({columns}; vedere il modello dati) per vederlo."
    ),
    "The `{table}` table has rows, but {reason} ({period}), so {what} are not shown.": (
        "La tabella `{table}` ha righe, ma {reason} ({period}), quindi {what} non compaiono."
    ),
    "The `{table}` table has rows, but {reason} ({period}), so {what} is not shown.": (
        "La tabella `{table}` ha righe, ma {reason} ({period}), quindi {what} non compare."
    ),
    "The `reps` table has no `{column}` column (or it is empty), so {what} are not shown. Add "
    "`{column}` to `reps` to see them.": (
        "La tabella `reps` non ha la colonna `{column}` (o è vuota), quindi {what} non "
        "compaiono. Aggiungere `{column}` a `reps` per vederli."
    ),
    "The `reps` table has no `{column}` column (or it is empty), so {what} is not shown. Add "
    "`{column}` to `reps` to see it.": (
        "La tabella `reps` non ha la colonna `{column}` (o è vuota), quindi {what} non "
        "compare. Aggiungere `{column}` a `reps` per vederlo."
    ),
    "no {table} table": "nessuna tabella {table}",
    "no {column} in the reps table": "nessuna colonna {column} nella tabella reps",
    "no quotas cover this period": "nessun obiettivo copre questo periodo",
    "no activities were logged in this period": (
        "nessuna attività è stata registrata in questo periodo"
    ),
    "no leads were created in this period": "nessun lead è stato creato in questo periodo",
    "no territory in the reps or leads table": ("nessun territorio nelle tabelle reps o leads"),
    "Neither `reps` nor `leads` has a `territory`, so territory balance is not shown. Add "
    "`territory` to `reps` (or to `leads`) to see it.": (
        "Né `reps` né `leads` hanno un `territory`, quindi l'equilibrio tra territori non "
        "compare. Aggiungere `territory` a `reps` (o a `leads`) per vederlo."
    ),
    "no owner_id in the leads table": "nessun owner_id nella tabella leads",
    "The `leads` table has no `owner_id` column, so lead assignment by rep is not shown. Add "
    "`owner_id` to `leads` to see it.": (
        "La tabella `leads` non ha la colonna `owner_id`, quindi l'assegnazione dei lead per "
        "venditore non compare. Aggiungere `owner_id` a `leads` per vederla."
    ),
    "no deal has an amount": "nessuna trattativa ha un importo",
    "No deal in `opportunities` has an amount, so amount-based figures (win rate by value, "
    "average won deal, pipeline generated, open pipeline, velocity) are not shown. Add "
    "`amount` to `opportunities` to see them.": (
        "Nessuna trattativa in `opportunities` ha un importo, quindi i valori basati sugli "
        "importi (tasso di vittoria per valore, valore medio del contratto, pipeline generata, "
        "pipeline aperta, velocità) non compaiono. Aggiungere `amount` a `opportunities` per "
        "vederli."
    ),
    "lost deals have no amount": "le trattative perse non hanno importo",
    "Lost deals in `opportunities` have no amount (only won deals do), so the win rate by "
    "value is not shown: it needs the amount of the lost deals too.": (
        "Le trattative perse in `opportunities` non hanno importo (solo quelle vinte), quindi "
        "il tasso di vittoria per valore non compare: servono anche gli importi delle "
        "trattative perse."
    ),
    "open and lost deals have no amount": ("le trattative aperte e perse non hanno importo"),
    "Open and lost deals in `opportunities` have no amount, so pipeline generated (the amount "
    "of the deals created) is not shown: it would count won deals only.": (
        "Le trattative aperte e perse in `opportunities` non hanno importo, quindi la pipeline "
        "generata (l'importo delle trattative create) non compare: conterebbe solo le "
        "trattative vinte."
    ),
    "open deals have no amount": "le trattative aperte non hanno importo",
    "Open deals in `opportunities` have no amount, so open pipeline is not shown.": (
        "Le trattative aperte in `opportunities` non hanno importo, quindi la pipeline aperta "
        "non compare."
    ),
}
