#!/usr/bin/env python3
"""Writes a CSV of customer signals for sileram's import benchmark from real complaints: a second
data set, unlike gen_signals.py's, that the import was not tuned on.

    python3 bench/gen_cfpb.py ROWS OUT.csv COMPLAINTS.csv [--seed N]

COMPLAINTS.csv is an export of the US Consumer Financial Protection Bureau's public Consumer
Complaint Database (public domain; columns date_received, product, sub_product, issue, sub_issue,
consumer_complaint_narrative, company, submitted_via, complaint_id, ...). Each row written is one
complaint drawn at random: its issue and sub-issue (and now and then its company) as the title,
its narrative (English, often empty, up to a few thousand characters) with its sentences
shuffled as the description, so the words follow the complaints' own curve rather than
gen_signals.py's; its channel, product and company; its date received; a unique external id.
The columns are sileram's, so the sqlite3 shell baselines import the same rows.
"""
import argparse
import csv
import random
import re


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("complaints")
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.complaints, encoding="utf-8", newline="") as f:
        complaints = list(csv.DictReader(f))
    submitters = [f"analist{i}@example.com" for i in range(800)]
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["title", "description", "submitted_by", "channel", "product", "process",
                    "customer", "submitted_at", "external_id"])
        for i in range(args.rows):
            c = rng.choice(complaints)
            title = c["issue"] or c["product"] or "Complaint"
            if c["sub_issue"]:
                title += ": " + c["sub_issue"]
            if rng.random() < 0.3:
                title += " (" + c["company"] + ")"
            sentences = re.split(r"(?<=[.!?])\s+", c["consumer_complaint_narrative"])
            rng.shuffle(sentences)
            description = " ".join(s for s in sentences if s)
            w.writerow([
                title[:300], description, rng.choice(submitters),
                (c["submitted_via"] or "web").lower(), c["product"],
                c["sub_product"] or c["issue"], c["company"], c["date_received"],
                f"CFPB-{c['complaint_id']}-{i + 1}",
            ])


if __name__ == "__main__":
    main()
