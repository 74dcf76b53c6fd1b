#!/usr/bin/env python3
"""Writes a realistic CSV of customer signals for sileram's import benchmark.

    python3 bench/gen_signals.py ROWS OUT.csv [--seed N]

Dutch-like titles (3-12 words) and descriptions (empty to a few hundred words, some with quotes
and line breaks), 5 channels, 50 products, 12 processes, 5,000 submitters, 200,000 customers,
timestamps over two years and a unique external id per row. Words follow a Zipf-like curve over a
vocabulary of common Dutch words and a long tail of generated rarer ones, as real text does.
"""
import csv
import random
import sys

COMMON = """de het een en van in is op niet dat te met voor zijn er maar aan ook als bij
nog om dan al naar uit wel over door of worden geen meer heeft kan moet hun omdat want zo
klant klanten factuur facturen betaling bedrag rekening btw incasso termijn aanmaning
levering bezorging pakket vertraging bezorger adres verhuizing opzegging contract abonnement
tarief korting prijs storing monteur afspraak wachttijd telefoon website app inloggen
wachtwoord account formulier brief mail chat klacht vraag antwoord terugbellen medewerker
onduidelijk verkeerd fout dubbel laat te kapot niet ontvangen teruggestort verrekend
meterstand verbruik jaarafrekening voorschot energie gas stroom water internet tv mobiel
bundel verlenging overstap welkomstpakket installatie router modem storingsmelding
""".split()
SYLLABLES = "ba be bo de da do ke ka ko le la lo me ma mo ne na no pe pa po re ra ro se sa so te ta to ve va vo we wa zo ze ij ui oe aa ee oo ie eu ou".split()
ENDINGS = ["ing", "heid", "en", "er", "tje", "lijk", "isch", "st", "", "", ""]

CHANNELS = ["phone", "email", "chat", "letter", "social"]
PROCESSES = ["ordering", "delivery", "billing", "support", "cancellation", "onboarding",
             "moving", "repair", "payment", "complaints", "renewal", "installation"]


def rare_words(rng, n):
    words = set()
    while len(words) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(ENDINGS)
        words.add(w)
    words = sorted(words)
    rng.shuffle(words)
    return words


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    rng = random.Random(seed)
    vocabulary = COMMON + rare_words(rng, 60000)
    # Zipf-like: weight 1 / rank^1.07, so a few words are everywhere and most are rare.
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    products = [f"product-{i:02d}" for i in range(1, 51)]
    submitters = [f"medewerker{i}@example.nl" for i in range(1, 5001)]
    start = 1704067200  # 2024-01-01
    two_years = 2 * 365 * 86400

    # Drawing from a large pre-drawn pool at random offsets keeps the Zipf curve and is fast.
    pool = rng.choices(vocabulary, cum_weights=cumulative, k=1 << 20)

    def words(n):
        at = rng.randrange(len(pool) - n)
        return pool[at:at + n]

    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["title", "description", "submitted_by", "channel", "product", "process",
                    "customer", "submitted_at", "external_id"])
        for i in range(rows):
            title_words = words(rng.randint(3, 12))
            title = " ".join(title_words).capitalize()
            if rng.random() < 0.05:
                title = f'Klant zegt "{title}"'
            length = rng.choice([0, 5, 10, 20, 40, 80, 160])
            description = " ".join(words(length)) if length else ""
            if length and rng.random() < 0.15:
                cut = len(description) // 2
                description = description[:cut] + "\n\n" + description[cut:]
            if length and rng.random() < 0.05:
                description += ' De klant: "dit is de derde keer, ik ben het zat".'
            at = start + rng.randrange(two_years)
            w.writerow([
                title[:300], description, rng.choice(submitters), rng.choice(CHANNELS),
                rng.choice(products), rng.choice(PROCESSES), f"K-{rng.randrange(200000):06d}",
                "%04d-%02d-%02dT%02d:%02d:%02dZ" % _utc(at), f"EXT-{i + 1:07d}",
            ])


def _utc(seconds):
    import time
    t = time.gmtime(seconds)
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


if __name__ == "__main__":
    main()
