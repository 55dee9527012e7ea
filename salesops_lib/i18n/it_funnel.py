"""Italian catalog of the funnel report's words (narrative, cards, tables, charts, methods).

English message id → Italian text; ``(singular, plural)`` for ``ngettext``. Merged into
:data:`salesops_lib.i18n.it.MESSAGES`.

Stage names, segment values, campaign ids and period labels are data: they pass through as
fields. The entity noun ("lead", "opportunità") is a field too; sentences agree with "lead"
(masculine plural), the default funnel.
"""

from __future__ import annotations

#: True once every sentence, label, chart text and methods text of the funnel report is wrapped
#: in ``_()`` and has an entry here (then ``language: it`` is accepted for it).
COMPLETE = True

MESSAGES: dict[str, str | tuple[str, str]] = {
    # ---- entities, populations, joins (_result.py)
    "leads": "lead",
    "opportunities": "opportunità",
    " and ": " e ",
    " or ": " o ",
    " and by ": " e per ",
    " not in {campaigns}": " fuori da {campaigns}",
    "{value} {noun}{tail}": "{noun} {value}{tail}",
    "Read with care:": "Da leggere con cautela:",
    # ---- small phrases (_narrative.py)
    "not reached": "non raggiunta",
    "too few conversions for an interval": "conversioni troppo poche per un intervallo",
    "{level} interval {low}–{high} days": "intervallo al {level}: {low}–{high} giorni",
    "{level} interval {low}–{high}": "intervallo al {level}: {low}–{high}",
    "{diff} ({low} to {high})": "{diff} (da {low} a {high})",
    "{diff} percentage points ({low} to {high})": "{diff} punti percentuali (da {low} a {high})",
    "end up won": "diventare trattative vinte",
    "become opportunities": "diventare opportunità",
    "reach {stage}": "raggiungere la fase {stage}",
    "{noun} that became opportunities": "{noun} diventati opportunità",
    "won {noun}": "{noun} vinti",
    "{stage}s": "{stage}",
    "{noun} at {stage}": "{noun} in fase {stage}",
    "{noun} at {stage} or later": "{noun} in fase {stage} o successiva",
    "{noun} that reached {stage} or a later stage": (
        "{noun} che hanno raggiunto {stage} o una fase successiva"
    ),
    "{period} {noun}": "{noun} del {period}",
    "{period} {who}": "{who} del {period}",
    "{period} {noun} at {stage} or later": "{noun} del {period} in fase {stage} o successiva",
    "{period} {noun} that reached {stage} or a later stage": (
        "{noun} del {period} che hanno raggiunto {stage} o una fase successiva"
    ),
    # ---- campaigns and experiments (banner, caveats)
    "the experiment {id}{name}{dates}": "all'esperimento {id}{name}{dates}",
    "the campaign {id}{name}{dates}": "alla campagna {id}{name}{dates}",
    " ({share} of all {period} {noun})": " (il {share} di tutti i {noun} del {period})",
    "{share} of {who}{entrants} were in {ref}, against {share_prev} in {period}; changes "
    "between the periods may reflect the experiment, not the process.": (
        "il {share} dei {who}{entrants} ha partecipato {ref}, contro il {share_prev} nel "
        "{period}: le variazioni tra i due periodi potrebbero dipendere dall'esperimento, non dal "
        "processo."
    ),
    "{share} of {who}{entrants} were in {ref}, against {share_prev} in {period}; changes "
    "between the periods may reflect the campaign, not the process.": (
        "il {share} dei {who}{entrants} ha partecipato {ref}, contro il {share_prev} nel "
        "{period}: le variazioni tra i due periodi potrebbero dipendere dalla campagna, non dal "
        "processo."
    ),
    "{share} of {who}{entrants} were in {ref}; the rates may reflect the experiment, not the "
    "usual process.": (
        "il {share} dei {who}{entrants} ha partecipato {ref}: i tassi potrebbero riflettere "
        "l'esperimento, non il processo abituale."
    ),
    "{share} of {who}{entrants} were in {ref}; the rates may reflect the campaign, not the "
    "usual process.": (
        "il {share} dei {who}{entrants} ha partecipato {ref}: i tassi potrebbero riflettere la "
        "campagna, non il processo abituale."
    ),
    "but {share} of {who} were in the experiment {id}, against {share_prev} in {period}, so "
    "part or all of the change may come from the experiment": (
        "ma il {share} dei {who} ha partecipato all'esperimento {id}, contro il {share_prev} nel "
        "{period}, quindi la variazione potrebbe dipendere in parte o del tutto dall'esperimento"
    ),
    "but {share} of {who} were in the campaign {id}, against {share_prev} in {period}, so part "
    "or all of the change may come from the campaign": (
        "ma il {share} dei {who} ha partecipato alla campagna {id}, contro il {share_prev} nel "
        "{period}, quindi la variazione potrebbe dipendere in parte o del tutto dalla campagna"
    ),
    ", though part of it may come from the experiment {ids} (see the note above)": (
        ", anche se in parte potrebbe dipendere dall'esperimento {ids} (vedi la nota sopra)"
    ),
    ", though part of it may come from the campaign {ids} (see the note above)": (
        ", anche se in parte potrebbe dipendere dalla campagna {ids} (vedi la nota sopra)"
    ),
    # ---- time note
    "{skipped} of the {reached} {noun} counted at {stage} ({pct}) skipped {stage}": (
        "{skipped} dei {reached} {noun} contati in {stage} ({pct}) hanno saltato {stage}"
    ),
    "A stage that was skipped counts as passed (“reached it or a later stage”), and the entity "
    "as converted to the next stage at day 0, so a curve can start above 0%: {skips}. They are "
    "kept in the curves and times so that these agree with the step rates.": (
        "Una fase saltata conta come superata («raggiunta o superata») e l'entità come convertita "
        "alla fase successiva al giorno 0, quindi una curva può partire sopra lo 0%: {skips}. "
        "Restano nelle curve e nei tempi perché questi concordino con i tassi dei passaggi."
    ),
    # ---- summary
    "Of the {n} {population} created in {period}, an estimated {rate} will {reach} (each step "
    "within {days}).": (
        "Dei {n} {population} creati nel {period}, si stima che il {rate} riesca a {reach} (ogni "
        "passaggio entro {days})."
    ),
    "Of the {n} {population} created in {period}, an estimated {rate} will {reach} (within "
    "{days}).": (
        "Dei {n} {population} creati nel {period}, si stima che il {rate} riesca a {reach} (entro "
        "{days})."
    ),
    "Of the {n} {population} created in {period}, an estimated {rate} will {reach} (each step "
    "within {days}), against {prev_rate} in {prev}; the difference of {change} is more than "
    "chance{though}.": (
        "Dei {n} {population} creati nel {period}, si stima che il {rate} riesca a {reach} (ogni "
        "passaggio entro {days}), contro il {prev_rate} nel {prev}: la differenza di {change} va "
        "oltre il caso{though}."
    ),
    "Of the {n} {population} created in {period}, an estimated {rate} will {reach} (within "
    "{days}), against {prev_rate} in {prev}; the difference of {change} is more than "
    "chance{though}.": (
        "Dei {n} {population} creati nel {period}, si stima che il {rate} riesca a {reach} (entro "
        "{days}), contro il {prev_rate} nel {prev}: la differenza di {change} va oltre il "
        "caso{though}."
    ),
    "Of the {n} {population} created in {period}, an estimated {rate} will {reach} (each step "
    "within {days}), against {prev_rate} in {prev}; the difference of {change} is within "
    "chance, so we cannot tell them apart.": (
        "Dei {n} {population} creati nel {period}, si stima che il {rate} riesca a {reach} (ogni "
        "passaggio entro {days}), contro il {prev_rate} nel {prev}: la differenza di {change} "
        "rientra nel caso, quindi non possiamo distinguere i due periodi."
    ),
    "Of the {n} {population} created in {period}, an estimated {rate} will {reach} (within "
    "{days}), against {prev_rate} in {prev}; the difference of {change} is within chance, so "
    "we cannot tell them apart.": (
        "Dei {n} {population} creati nel {period}, si stima che il {rate} riesca a {reach} (entro "
        "{days}), contro il {prev_rate} nel {prev}: la differenza di {change} rientra nel caso, "
        "quindi non possiamo distinguere i due periodi."
    ),
    "The biggest leak is {step}: only {rate} of {who} moved on within {days}, so {lost} of "
    "{entered} were lost there; it is not clearly worse than {runner_up} ({runner_up_rate}), so "
    "treat both as weak spots.": (
        "La perdita maggiore è nel passaggio {step}: solo il {rate} dei {who} è andato avanti "
        "entro {days}, quindi lì se ne sono persi {lost} su {entered}; non è nettamente peggiore "
        "di {runner_up} ({runner_up_rate}), quindi considerate entrambi punti deboli."
    ),
    "The biggest leak is {step}: only {rate} of {who} moved on within {days}, so {lost} of "
    "{entered} were lost there.": (
        "La perdita maggiore è nel passaggio {step}: solo il {rate} dei {who} è andato avanti "
        "entro {days}, quindi lì se ne sono persi {lost} su {entered}."
    ),
    "Compared with {prev}, {step} conversion rose from {before} to {after}, a change of "
    "{change} that is more than chance ({p}){others}{caveat}.": (
        "Rispetto al {prev}, il tasso di conversione {step} è salito dal {before} al {after}, una "
        "variazione di {change} che va oltre il caso ({p}){others}{caveat}."
    ),
    "Compared with {prev}, {step} conversion fell from {before} to {after}, a change of "
    "{change} that is more than chance ({p}){others}{caveat}.": (
        "Rispetto al {prev}, il tasso di conversione {step} è sceso dal {before} al {after}, una "
        "variazione di {change} che va oltre il caso ({p}){others}{caveat}."
    ),
    ", and {n} other step(s) also changed clearly": (
        ", e anche un altro passaggio è cambiato in modo netto",
        ", e anche altri {n} passaggi sono cambiati in modo netto",
    ),
    ", and no other step changed by more than chance": (
        ", e nessun altro passaggio è cambiato oltre il caso"
    ),
    "Compared with {prev}, no step changed by more than chance: the largest move, {step}, was "
    "{change}, so we cannot tell whether it is real.": (
        "Rispetto al {prev}, nessun passaggio è cambiato oltre il caso: lo spostamento maggiore, "
        "{step}, è stato di {change}, quindi non possiamo dire se sia reale."
    ),
    "By {col}, {step} conversion ranges from {low} for {low_segment} to {high} for "
    "{high_segment}; the {cols} differ by more than chance ({p}){small}.": (
        "Per {col}, il tasso di conversione {step} va dal {low} di {low_segment} al {high} di "
        "{high_segment}: i valori di {col} differiscono oltre il caso ({p}){small}."
    ),
    "By {col}, {step} conversion ranges from {low} for {low_segment} to {high} for "
    "{high_segment}; we cannot tell the {cols} apart ({p}){small}.": (
        "Per {col}, il tasso di conversione {step} va dal {low} di {low_segment} al {high} di "
        "{high_segment}: non possiamo distinguere i valori di {col} ({p}){small}."
    ),
    "; {n} small segment is not ranked": (
        "; {n} segmento piccolo non è in classifica",
        "; {n} segmenti piccoli non sono in classifica",
    ),
    ", and none had done so within {days}": ", e nessuno ci era arrivato entro {days}",
    ", and {rate} had done so within {days}, counting those still open": (
        ", e il {rate} ci era arrivato entro {days}, contando anche quelli ancora aperti"
    ),
    "Half of {who} reach {stage} within {days}{tail}.": (
        "Metà dei {who} raggiunge {stage} entro {days}{tail}."
    ),
    "Fewer than half of {who} had reached {stage} by the cut-off; among {noun} that converted, "
    "the median was {days}{tail}.": (
        "Meno della metà dei {who} aveva raggiunto {stage} alla data di chiusura dei dati; tra i "
        "{noun} convertiti la mediana è stata di {days}{tail}."
    ),
    # ---- cards
    "{population} created": "{population} creati",
    "{population} that reached {stage}": "{population} che hanno raggiunto {stage}",
    "{period} that reached {stage}": "{period} che hanno raggiunto {stage}",
    "{change} vs {prev} ({n})": "{change} rispetto al {prev} ({n})",
    "{change} vs {prev}": "{change} rispetto al {prev}",
    "{change} vs {prev} (within chance)": "{change} rispetto al {prev} (entro il caso)",
    "{first} → {last} (overall)": "{first} → {last} (complessivo)",
    "{step} conversion (the biggest leak)": "Conversione {step} (la perdita maggiore)",
    "{interval}, n = {n}": "{interval} (n = {n})",
    "MQL → SQL (qualification)": "MQL → SQL (qualificazione)",
    "Median days {step}": "Giorni mediani {step}",
    "Median days {step}, among {noun} that converted": (
        "Giorni mediani {step}, tra i {noun} convertiti"
    ),
    "{interval}; open ones counted": "{interval}; inclusi quelli ancora aperti",
    "{interval}; {events} of {n} converted by the cut-off": (
        "{interval}; {events} su {n} convertiti alla data di chiusura dei dati"
    ),
    # ---- chart headlines (_narrative_sections.py)
    "{step} loses the most: only {rate} move on": "{step} perde di più: va avanti solo il {rate}",
    "{step} and {runner_up} lose the most": "{step} e {runner_up} perdono di più",
    "Conversion by step": "Conversione per passaggio",
    "{step} improved by {change} vs {prev}": "{step} migliorato di {change} rispetto al {prev}",
    "{step} worsened by {change} vs {prev}": "{step} peggiorato di {change} rispetto al {prev}",
    ",\nwhen {share} of {period} {who} were in experiment {id}": (
        ",\nquando il {share} dei {who} del {period} partecipava all'esperimento {id}"
    ),
    ",\nwhen {share} of {period} {who} were in campaign {id}": (
        ",\nquando il {share} dei {who} del {period} partecipava alla campagna {id}"
    ),
    "No step changed by more than chance vs {prev}": (
        "Nessun passaggio è cambiato oltre il caso rispetto al {prev}"
    ),
    "{high} converts {ratio}× as often as {low} at {step}": (
        "{high} converte {ratio} volte più di {low} nel passaggio {step}"
    ),
    "{step} conversion differs by {col}": "La conversione {step} varia per {col}",
    "We cannot tell {cols} apart at {step}": (
        "Non possiamo distinguere i valori di {col} nel passaggio {step}"
    ),
    "Half of {who} reach {stage} within {days}": "Metà dei {who} raggiunge {stage} entro {days}",
    "Most {who} have not reached {stage}; converters took a median {days}": (
        "La maggior parte dei {who} non ha raggiunto {stage}; chi ha convertito ha impiegato in "
        "mediana {days}"
    ),
    "Share converted within N days": "Quota convertita entro N giorni",
    "{stage} rate by cohort ranges {low} ({low_cohort}) to {high} ({high_cohort})": (
        "Tasso {stage} per coorte: dal {low} ({low_cohort}) al {high} ({high_cohort})"
    ),
    "Conversion by creation cohort": "Conversione per coorte di creazione",
    "; the last cohort is still open": (
        "; l'ultima coorte è ancora aperta",
        "; le ultime {n} coorti sono ancora aperte",
    ),
    "{rate} of {population} created in {period} are estimated to {reach}.": (
        "Si stima che il {rate} dei {population} creati nel {period} riesca a {reach}."
    ),
    "{rate} of {population} created in {period} are estimated to {reach}; the biggest leak is "
    "{step} ({step_rate} move on).": (
        "Si stima che il {rate} dei {population} creati nel {period} riesca a {reach}; la "
        "perdita maggiore è nel passaggio {step} (va avanti il {step_rate})."
    ),
    # ---- sections (titles, intros; an absent section's reason is listed without "Not shown")
    "Where the funnel leaks": "Dove il funnel perde",
    "Each bar is the share of those who reached a stage that moved on to the next one within "
    "{days}; the whisker is the {level} interval. The highlighted step loses the largest "
    "share.": (
        "Ogni barra è la quota di chi, raggiunta una fase, è passato alla successiva entro "
        "{days}; il segmento nero è l'intervallo al {level}. Il passaggio evidenziato perde la "
        "quota maggiore."
    ),
    "Not shown: with two stages the funnel has one step ({first} → {last}); its rate is in the "
    "summary and the cards.": (
        "Con due fasi il funnel ha un solo passaggio ({first} → {last}): il suo tasso è nella "
        "sintesi e nelle schede."
    ),
    "What changed since the previous period": "Cosa è cambiato rispetto al periodo precedente",
    "Change in each step's conversion in {period} against {prev}. Grey: within what chance "
    "alone would produce. Green/orange: better/worse by more than chance.": (
        "Variazione del tasso di conversione di ogni passaggio nel {period} rispetto al {prev}. "
        "Grigio: entro quanto produrrebbe il solo caso. Verde/arancione: meglio/peggio oltre il "
        "caso."
    ),
    "Not shown: no comparison was asked for (compare_to: none).": (
        "Nessun confronto richiesto (compare_to: none)."
    ),
    "Not shown: no {population} were created in {prev}.": (
        "Nessun {population} creato nel {prev}."
    ),
    "{col}: shown for {step}, the step where the values differ most clearly (or the biggest "
    "leak when they differ there). All steps are in the detail tables.": (
        "{col}: mostrato per {step}, il passaggio in cui i valori differiscono più nettamente (o "
        "la perdita maggiore, quando lì differiscono). Tutti i passaggi sono nelle tabelle di "
        "dettaglio."
    ),
    "{col}: shown for {step}.": "{col}: mostrato per {step}.",
    "the first step": "il primo passaggio",
    "For whom: conversion by {columns}": "Per chi: conversione per {columns}",
    "For whom": "Per chi",
    "Each dot is a segment's conversion with its {level} interval, sorted. Segments are "
    "attributed when they entered the funnel; hollow markers have fewer than {n} {noun} and "
    "are not ranked.": (
        "Ogni punto è la conversione di un segmento con il suo intervallo al {level}, in ordine. "
        "I segmenti sono attribuiti all'ingresso nel funnel; i marcatori vuoti hanno meno di {n} "
        "{noun} e non sono in classifica."
    ),
    "Each dot is a segment's conversion with its {level} interval, sorted. Segments are "
    "attributed when they entered the funnel.": (
        "Ogni punto è la conversione di un segmento con il suo intervallo al {level}, in ordine. "
        "I segmenti sono attribuiti all'ingresso nel funnel."
    ),
    "Not shown: no breakdown columns were asked for (breakdowns).": (
        "Nessuna colonna di suddivisione richiesta (breakdowns)."
    ),
    "How long each step takes": "Quanto dura ogni passaggio",
    "Share converted by each day after reaching the earlier stage. {Noun} still open at the "
    "cut-off count as not yet converted for as long as we have watched them, not as "
    "failures.": (
        "Quota convertita a ogni giorno dal raggiungimento della fase precedente. I {noun} ancora "
        "aperti alla data di chiusura dei dati contano come non ancora convertiti per tutto il "
        "tempo in cui li abbiamo osservati, non come insuccessi."
    ),
    "Cohorts by creation month": "Coorti per mese di creazione",
    "Cohorts by creation week": "Coorti per settimana di creazione",
    "Share of each month's entrants that reached a stage within {days}. Hatched cells are "
    "cohorts too recent to judge: shown as open, not as low.": (
        "Quota degli entrati di ogni mese che ha raggiunto una fase entro {days}. Le celle "
        "tratteggiate sono coorti troppo recenti per giudicare: mostrate come aperte, non come "
        "basse."
    ),
    "Share of each week's entrants that reached a stage within {days}. Hatched cells are "
    "cohorts too recent to judge: shown as open, not as low.": (
        "Quota degli entrati di ogni settimana che ha raggiunto una fase entro {days}. Le celle "
        "tratteggiate sono coorti troppo recenti per giudicare: mostrate come aperte, non come "
        "basse."
    ),
    "month": ("mese", "mesi"),
    "week": ("settimana", "settimane"),
    "Not shown: no {population} were created in the cohort range (the last {periods} up to the "
    "as-of time, {as_of}; widen it with cohort_periods).": (
        "Nessun {population} creato nell'intervallo delle coorti ({periods} fino alla data di "
        "riferimento, {as_of}; ampliatelo con cohort_periods)."
    ),
}

#: Detail tables, methods and definitions, chart labels, notes computed with the analysis.
MESSAGES.update(
    {
        # ---- detail tables (_narrative_methods.py, _result.py)
        "Step": "Passaggio",
        "Reached": "Raggiunti",
        "Skipped this stage": "Fase saltata",
        "Too recent to judge": "Troppo recenti per giudicare",
        "Too recent": "Troppo recenti",
        "Entered": "Entrati",
        "Converted": "Convertiti",
        "Converted after the window": "Convertiti dopo la finestra",
        "Step rate": "Tasso del passaggio",
        "Cumulative from start": "Cumulato dall'inizio",
        "Cumulative": "Cumulato",
        "Rate": "Tasso",
        "Entities": "Entità",
        "Median days": "Giorni mediani",
        "Median (converters only)": "Mediana (solo convertiti)",
        "Mean (converters only)": "Media (solo convertiti)",
        "{level} low": "limite inf. {level}",
        "{level} high": "limite sup. {level}",
        "{rate} (incomplete)": "{rate} (incompleta)",
        "previous": "precedente",
        "current": "attuale",
        "Funnel steps, {population} created in {period} (window {days}). Reached: reached the "
        "stage or a later one; skipped this stage: of those, reached it only through a later "
        "stage (counted as converted).": (
            "Passaggi del funnel, {population} creati nel {period} (finestra di {days}). "
            "Raggiunti: hanno raggiunto la fase o una successiva; fase saltata: di questi, "
            "l'hanno raggiunta solo attraverso una fase successiva (contati come convertiti)."
        ),
        "Funnel steps, {population} created in {period} (window {days}). Reached: reached the "
        "stage or a later one; skipped this stage: of those, reached it only through a later "
        "stage (counted as converted). Converted after the window: reached the next stage later "
        "than the window allows (not counted in the step rate).": (
            "Passaggi del funnel, {population} creati nel {period} (finestra di {days}). "
            "Raggiunti: hanno raggiunto la fase o una successiva; fase saltata: di questi, "
            "l'hanno raggiunta solo attraverso una fase successiva (contati come convertiti). "
            "Convertiti dopo la finestra: hanno raggiunto la fase successiva oltre la finestra "
            "(non contati nel tasso del passaggio)."
        ),
        "more than chance": "oltre il caso",
        "cannot tell": "non distinguibile",
        "Change": "Variazione",
        "p (Holm)": "valore p (Holm)",
        "Verdict": "Esito",
        "Step conversion, {period} vs {prev}.": (
            "Conversione per passaggio, {period} rispetto al {prev}."
        ),
        "Breakdown": "Suddivisione",
        "Segment": "Segmento",
        "Rank": "Posizione",
        "Note": "Nota",
        "Conversion by segment (attributed at funnel entry); small segments are not ranked.": (
            "Conversione per segmento (attribuito all'ingresso nel funnel); i segmenti piccoli "
            "non sono in classifica."
        ),
        "Segments tested": "Segmenti testati",
        "Small (not tested)": "Piccoli (non testati)",
        "Chi-square": "Chi quadro",
        "df": "gdl",
        "Do segments differ? Pearson chi-square test of equal conversion, per step.": (
            "I segmenti differiscono? Test chi quadro di Pearson di uguale conversione, per "
            "passaggio."
        ),
        "Converted by the cut-off": "Convertiti alla data di chiusura",
        "Median (all, censoring-aware)": "Mediana (tutti, con censura)",
        "75% converted by": "75% convertito entro",
        "90% converted by": "90% convertito entro",
        "Median, converters only": "Mediana, solo convertiti",
        "Mean, converters only": "Media, solo convertiti",
        "Days between stages, for all that reached the earlier stage. 'Converted by the "
        "cut-off' counts conversions at any time up to the data's cut-off (the steps table "
        "counts those within the window). Intervals: the time lies between the two numbers; "
        "'not reached': too few converted.": (
            "Giorni tra le fasi, per tutti quelli che hanno raggiunto la fase precedente. "
            "'Convertiti alla data di chiusura' conta le conversioni avvenute in qualsiasi momento "
            "fino alla data di chiusura dei dati (la tabella dei passaggi conta quelle entro la "
            "finestra). Intervalli: il tempo cade tra i due numeri; 'non raggiunta': troppo pochi "
            "convertiti."
        ),
        # ---- methods and definitions
        "Cohort": "Coorte",
        "Stages": "Fasi",
        "Reached a stage": "Fase raggiunta",
        "Cumulative rate": "Tasso cumulato",
        "Intervals": "Intervalli",
        "Biggest leak": "Perdita maggiore",
        "Change vs previous period": "Variazione rispetto al periodo precedente",
        "Segments": "Segmenti",
        "Time to convert": "Tempo di conversione",
        "Converters only": "Solo convertiti",
        "Campaigns and experiments": "Campagne ed esperimenti",
        "Cohort matrix": "Matrice delle coorti",
        "{start} to {end}": "dal {start} al {end}",
        " with {filters}": " con {filters}",
        "{table}: {n} row": ("{table}: {n} riga", "{table}: {n} righe"),
        "{Noun} created from {span}{who} ({n}), followed up to the data's cut-off {as_of} UTC. ": (
            "{Noun} creati {span}{who} ({n}), seguiti fino alla data di chiusura dei dati, "
            "{as_of} UTC. "
        ),
        "Compared with {noun}{who} created in {prev}. ": (
            "Confrontati con i {noun}{who} creati nel {prev}. "
        ),
        "Every figure, chart and table of this report counts only these {noun}. ": (
            "Ogni valore, grafico e tabella di questo report conta solo questi {noun}. "
        ),
        "The {columns} is that of the {funnel}'s owner (reps table). ": (
            "Il valore di {columns} è quello del venditore assegnatario (tabella reps). "
        ),
        "The {columns} are that of the {funnel}'s owner (reps table). ": (
            "I valori di {columns} sono quelli del venditore assegnatario (tabella reps). "
        ),
        "Source tables (whole tables, before the filter): {rows}.": (
            "Tabelle di origine (intere, prima del filtro): {rows}."
        ),
        "Source tables: {rows}.": "Tabelle di origine: {rows}.",
        "'created' = {unit} created (leads.created_at); 'opportunity' = the {unit} converted "
        "(leads.converted_at); 'won' = its opportunity was won (is_won, dated by close_date); "
        "other stages are lead_history.status values": (
            "'created' = {unit} creato (leads.created_at); 'opportunity' = {unit} convertito in "
            "opportunità (leads.converted_at); 'won' = la sua opportunità è stata vinta (is_won, "
            "datata da close_date); le altre fasi sono valori di lead_history.status"
        ),
        "stages are opportunity_history.stage values; 'won' comes from is_won (dated by "
        "close_date), never from a stage label": (
            "Le fasi sono valori di opportunity_history.stage; 'won' viene da is_won (datato da "
            "close_date), mai da un'etichetta di fase"
        ),
        "In order: {stages}. {builtins}.": "In ordine: {stages}. {builtins}.",
        "An entity reached stage k when it reached k or any later stage: skipping a stage counts "
        "as passing it, and moving backwards does not undo it. The time it reached k is the "
        "earliest such time. ": (
            "Un'entità ha raggiunto la fase k quando ha raggiunto k o una fase successiva: saltare "
            "una fase conta come superarla, e tornare indietro non la annulla. Il momento in cui "
            "ha raggiunto k è il primo di questi. "
        ),
        "{skipped} of the {reached} counted at {stage} never had {stage} themselves": (
            "{skipped} dei {reached} contati in {stage} non sono mai passati da {stage}"
        ),
        "In {period} no {noun} skipped a stage.": (
            "Nel {period} nessuna entità ha saltato una fase."
        ),
        "In {period}, {skips} (they went straight to a later stage; shown as 'Skipped this "
        "stage' in the steps table). They count as converted to the next stage, at day 0 in the "
        "time-to-convert curves, so step rates, curves and converters-only times include them.": (
            "Nel {period}, {skips} (sono passati direttamente a una fase successiva; indicati come "
            "'Fase saltata' nella tabella dei passaggi). Contano come convertiti alla fase "
            "successiva, al giorno 0 nelle curve del tempo di conversione, quindi tassi dei "
            "passaggi, curve e tempi dei soli convertiti li includono."
        ),
        "Share of entities that reached the next stage within {days} of reaching this one (the "
        "conversion window). Those that reached it later are counted apart (converted after the "
        "window), not in the rate; a note says so when they are as many as the conversions "
        "within it.": (
            "Quota delle entità che hanno raggiunto la fase successiva entro {days} dal "
            "raggiungimento di questa (la finestra di conversione). Chi l'ha raggiunta più tardi è "
            "contato a parte (convertiti dopo la finestra), non nel tasso; una nota lo segnala "
            "quando sono tanti quanti le conversioni entro la finestra."
        ),
        "rate = converted / entered": "tasso = convertiti / entrati",
        "Entities that reached a stage less than {days} before the cut-off are left out of that "
        "step's rate (converted or not, so that quick recent conversions do not inflate it); "
        "they still count in the time-to-convert curves.": (
            "Le entità che hanno raggiunto una fase meno di {days} prima della data di chiusura "
            "dei dati sono escluse dal tasso di quel passaggio (convertite o no, perché le "
            "conversioni rapide e recenti non lo gonfino); contano comunque nelle curve del tempo "
            "di conversione."
        ),
        "Share of entrants expected to reach a stage: the product of the step rates up to it; "
        "interval by the delta method on the log scale (Greenwood's formula).": (
            "Quota attesa degli entrati che raggiunge una fase: il prodotto dei tassi dei "
            "passaggi fino a essa; intervallo con il metodo delta su scala logaritmica (formula "
            "di Greenwood)."
        ),
        "Every interval is a {level} interval. Rates use the Wilson score interval.": (
            "Ogni intervallo è un intervallo al {level}. I tassi usano l'intervallo score di "
            "Wilson."
        ),
        "The step with the lowest rate; compared with the next-lowest step by a Newcombe "
        "interval for the difference of the two rates.": (
            "Il passaggio con il tasso più basso; confrontato con il secondo più basso tramite un "
            "intervallo di Newcombe per la differenza dei due tassi."
        ),
        "Difference of each step's rate between the two cohorts, in percentage points (pp: "
        "24.3% against 34.6% is a change of −10.3 pp), with Newcombe's hybrid score interval; "
        "pooled two-proportion z-test; p-values adjusted with Holm's method over the steps. "
        "'More than chance' means an adjusted p below 0.05. The overall rate's change uses a "
        "delta-method interval and z-test.": (
            "Differenza del tasso di ogni passaggio tra le due coorti, in punti percentuali (p.p.: "
            "24,3% contro 34,6% è una variazione di −10,3 p.p.), con l'intervallo score ibrido di "
            "Newcombe; test z a due proporzioni con varianza comune; valori p corretti con il "
            "metodo di Holm sui passaggi. 'Oltre il caso' significa un valore p corretto sotto "
            "0,05. La variazione del tasso complessivo usa un intervallo con metodo delta e un "
            "test z."
        ),
        "Breakdowns by {columns}, using each entity's value when it entered the funnel (missing "
        "values shown as '(missing)'). Segments with fewer than {n} entered at a step are "
        "flagged 'n < {n}' and not ranked or tested. Pearson chi-square test of equal rates over "
        "the other segments; every pair compared with a Newcombe interval and a z-test, "
        "Holm-adjusted within each step.": (
            "Suddivisioni per {columns}, con il valore di ogni entità al momento dell'ingresso "
            "nel funnel (valori mancanti indicati come '(missing)'). I segmenti con meno di {n} "
            "entrati in un passaggio sono segnalati 'n < {n}' e non sono classificati né testati. "
            "Test chi quadro di Pearson di uguaglianza dei tassi sugli altri segmenti; ogni coppia "
            "confrontata con un intervallo di Newcombe e un test z, con correzione di Holm "
            "all'interno di ogni passaggio."
        ),
        "X² = Σ (O − E)² / E,  df = segments − 1": "X² = Σ (O − E)² / E,  gdl = segmenti − 1",
        "Days from reaching one stage to reaching the next, for every entity that reached the "
        "first: those that have not converted by the cut-off are censored (still open), not "
        "failures. Kaplan–Meier estimate; median, 75th and 90th percentile: the first whole day "
        "by which that share had converted. Event times are rounded up to whole days (so "
        "'within N days' is exact), censoring times down; many entities share each day, so the "
        "interval of a percentile inverts the curve's pointwise {level} band (log(−log), "
        "Greenwood variance) on the day grid, as Brookmeyer and Crowley do for exact times: "
        "from the last day by which clearly fewer had converted to the first day by which "
        "clearly that share had. 'Not reached' when too few converted. Entities that skipped "
        "the earlier stage count as converted at day 0 (see 'Reached a stage').": (
            "Giorni dal raggiungimento di una fase al raggiungimento della successiva, per ogni "
            "entità che ha raggiunto la prima: quelle non convertite alla data di chiusura dei "
            "dati sono censurate (ancora aperte), non insuccessi. Stima di Kaplan–Meier; mediana, "
            "75° e 90° percentile: il primo giorno intero entro cui quella quota si era "
            "convertita. I tempi degli eventi sono arrotondati per eccesso ai giorni interi (così "
            "'entro N giorni' è esatto), quelli di censura per difetto; molte entità condividono "
            "ogni giorno, quindi l'intervallo di un percentile inverte la banda puntuale al "
            "{level} della curva (log(−log), varianza di Greenwood) sulla griglia dei giorni, come "
            "fanno Brookmeyer e Crowley per tempi esatti: dall'ultimo giorno entro cui se ne "
            "erano convertite chiaramente meno al primo giorno entro cui quella quota si era "
            "chiaramente convertita. 'Non raggiunta' quando i convertiti sono troppo pochi. Le "
            "entità che hanno saltato la fase precedente contano come convertite al giorno 0 "
            "(vedi 'Fase raggiunta')."
        ),
        "interval [max{d: S_low(d) > 1 − q}, min{d: S_high(d) ≤ 1 − q}]": (
            "intervallo [max{d: S_inf(d) > 1 − q}, min{d: S_sup(d) ≤ 1 − q}]"
        ),
        "Median and mean days over entities that did convert. They ignore those still open and "
        "the ones that never convert, so they understate the wait; they are labelled 'among … "
        "that converted' (in tables: 'converters only'). The median's interval is the "
        "distribution-free order-statistic interval.": (
            "Mediana e media dei giorni sulle entità che si sono convertite. Ignorano quelle "
            "ancora aperte e quelle che non si convertiranno mai, quindi sottostimano l'attesa; "
            "sono indicate come 'tra i … convertiti' (nelle tabelle: 'solo convertiti'). "
            "L'intervallo della mediana è l'intervallo non parametrico delle statistiche d'ordine."
        ),
        "ranks from Binomial(n, 0.5) quantiles": "ranghi dai quantili di una Binomiale(n; 0,5)",
        "Both cohorts were checked against campaign_members ({n} campaign with members among "
        "them). An experiment (campaign type 'experiment', or members in more than one variant) "
        "is flagged when its members are at least {share} of the {noun} at any stage a step "
        "starts from, in either period; another campaign when they are at least {share} of the "
        "{noun} created. ": (
            "Entrambe le coorti sono state confrontate con campaign_members ({n} campagna con "
            "membri tra loro). Un esperimento (campagna di tipo 'experiment', o membri in più di "
            "una variante) è segnalato quando i suoi membri sono almeno il {share} dei {noun} in "
            "una qualsiasi fase da cui parte un passaggio, in uno dei due periodi; un'altra "
            "campagna quando sono almeno il {share} dei {noun} creati. ",
            "Entrambe le coorti sono state confrontate con campaign_members ({n} campagne con "
            "membri tra loro). Un esperimento (campagna di tipo 'experiment', o membri in più di "
            "una variante) è segnalato quando i suoi membri sono almeno il {share} dei {noun} in "
            "una qualsiasi fase da cui parte un passaggio, in uno dei due periodi; un'altra "
            "campagna quando sono almeno il {share} dei {noun} creati. ",
        ),
        "{share} at {stage}": "{share} in {stage}",
        "Flagged: {campaigns}. Their members are counted like everyone else. ": (
            "Segnalati: {campaigns}. I loro membri sono contati come tutti gli altri. "
        ),
        "Flagged: {campaigns}. Their members are counted like everyone else; set "
        "exclude_campaign_members to leave them out. ": (
            "Segnalati: {campaigns}. I loro membri sono contati come tutti gli altri; impostate "
            "exclude_campaign_members per escluderli. "
        ),
        "None was flagged. ": "Nessuna è stata segnalata. ",
        "{n} in {period}": "{n} nel {period}",
        "Members of {campaigns} are left out of every count ({excluded} of the {noun} created).": (
            "I membri di {campaigns} sono esclusi da ogni conteggio ({excluded} dei {noun} creati)."
        ),
        "Members of {campaigns} are left out of every count.": (
            "I membri di {campaigns} sono esclusi da ogni conteggio."
        ),
        "Share of each creation month's entrants{who} that reached a stage (or a later one) "
        "within {days} of entering the funnel. A cell is 'open' (incomplete) until every "
        "entrant of the cohort has had that long; open cells are marked, not shown as low.": (
            "Quota degli entrati di ogni mese di creazione{who} che ha raggiunto una fase (o una "
            "successiva) entro {days} dall'ingresso nel funnel. Una cella è 'aperta' (incompleta) "
            "finché ogni entrato della coorte non ha avuto tutto quel tempo; le celle aperte sono "
            "segnalate, non mostrate come basse."
        ),
        "Share of each creation week's entrants{who} that reached a stage (or a later one) "
        "within {days} of entering the funnel. A cell is 'open' (incomplete) until every "
        "entrant of the cohort has had that long; open cells are marked, not shown as low.": (
            "Quota degli entrati di ogni settimana di creazione{who} che ha raggiunto una fase (o "
            "una successiva) entro {days} dall'ingresso nel funnel. Una cella è 'aperta' "
            "(incompleta) finché ogni entrato della coorte non ha avuto tutto quel tempo; le "
            "celle aperte sono segnalate, non mostrate come basse."
        ),
        "rate = reached within the horizon / entrants": (
            "tasso = arrivati entro l'orizzonte / entrati"
        ),
        # ---- charts (_charts.py)
        "{rate}  ({converted} of {entered})": "{rate}  ({converted} su {entered})",
        "no entrants": "nessun entrato",
        "Step conversion rate (converted within the window / entered), {level} interval": (
            "Tasso di conversione del passaggio (convertiti entro la finestra / entrati), "
            "intervallo al {level}"
        ),
        "all: {rate}": "tutti: {rate}",
        "{step} conversion rate, {level} interval": (
            "Tasso di conversione {step}, intervallo al {level}"
        ),
        "conversion rate, {level} interval": "tasso di conversione, intervallo al {level}",
        "Hollow markers: fewer than {n} entered (not ranked).": (
            "Marcatori vuoti: meno di {n} entrati (non in classifica)."
        ),
        "Days since reaching the earlier stage": "Giorni dal raggiungimento della fase precedente",
        "Share converted ({level} band)": "Quota convertita (banda al {level})",
        "open": "aperta",
        "{step} (overall)": "{step} (complessivo)",
        # shared (viz/html.py), shown under the funnel's segment table when it is cut
        "{n} more rows not shown.": "Altre {n} righe non mostrate.",
        "w/c {date}": "sett. dal {date}",
        "reached {stage}": "raggiunto {stage}",
        "Creation cohort": "Coorte di creazione",
        "{change}  (within chance)": "{change}  (entro il caso)",
        "Change in conversion rate vs previous period (percentage points), {level} interval": (
            "Variazione del tasso di conversione rispetto al periodo precedente (punti "
            "percentuali), intervallo al {level}"
        ),
        # ---- notes computed with the analysis (_analysis.py; in the language of the run)
        "{n} of {total} {noun} created in {period} ({share})": (
            "{n} su {total} {noun} creati nel {period} ({share})"
        ),
        "Members of {campaigns} are left out: {parts}. When membership was decided after {noun} "
        "entered the funnel (an experiment assigned at MQL, say), those left are selected by how "
        "far they got, and the steps before that point are biased; read those steps with "
        "everyone included.": (
            "I membri di {campaigns} sono esclusi: {parts}. Quando l'appartenenza è stata decisa "
            "dopo l'ingresso dei {noun} nel funnel (ad esempio un esperimento assegnato in fase "
            "MQL), quelli rimasti sono selezionati in base a quanto sono avanzati e i passaggi "
            "prima di quel punto sono distorti: leggete quei passaggi con tutti inclusi."
        ),
        "Campaign membership could not be checked against the cohorts: {error}": (
            "Non è stato possibile verificare l'appartenenza alle campagne delle coorti: {error}"
        ),
        "{share} of {noun} at {step} ({n}) reached {stage} less than {days} before the data's "
        "cut-off; they are too recent to judge and left out of that step's rate.": (
            "Il {share} dei {noun} in {step} ({n}) ha raggiunto {stage} meno di {days} prima della "
            "data di chiusura dei dati: troppo recenti per giudicare, sono esclusi dal tasso di "
            "quel passaggio."
        ),
        "none within it": "nessuno entro la finestra",
        "more than the {n} within it": "più dei {n} entro la finestra",
        "as many as the {n} within it": "tanti quanti i {n} entro la finestra",
        "{step}: {late} of {entered} reached {stage} only after the {days}-day window "
        "({within}); they are not counted in that step's rate (a longer `window_days` counts "
        "them).": (
            "{step}: {late} su {entered} hanno raggiunto {stage} solo dopo la finestra di {days} "
            "giorni ({within}); non sono contati nel tasso di quel passaggio (un `window_days` più "
            "lungo li conta)."
        ),
        "No {population} were created in {prev}; no comparison is shown.": (
            "Nessun {population} creato nel {prev}: il confronto non è mostrato."
        ),
    }
)
