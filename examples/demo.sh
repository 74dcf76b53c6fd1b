#!/usr/bin/env bash
# The unclear-invoice example of the method, through all ten steps on a fresh database.
# Usage: examples/demo.sh [PATH/TO/sileram]   (default: sileram on PATH)
# The clock is pinned per step (SILERAM_NOW) so the history reads like the real project did.
set -euo pipefail

sileram=$(realpath "${1:-$(command -v sileram)}")
work=$(mktemp -d "${TMPDIR:-/tmp}/sileram-demo.XXXXXX")
export SILERAM_DB="$work/demo.db"
export SILERAM_CONFIG="$(dirname "$0")/demo.toml"
export NO_COLOR=${NO_COLOR:-}
step() { if [[ -t 1 && -z $NO_COLOR ]]; then printf "\n\033[1m== %s\033[0m\n" "$*"; else printf "\n== %s\n" "$*"; fi; }
at() { export SILERAM_NOW="$1"; }

step "1 submit: an agent notices customers call about the invoice"
at 2026-01-05T09:12:00Z
id=$("$sileram" --as agent1@example.org submit "Customers do not understand the VAT line on the invoice" \
    --by agent1@example.org --channel phone --process billing --product energy \
    -d "Callers ask why the VAT line does not match the amount above it." --quiet)
echo "signal $id submitted"
at 2026-01-06T14:30:00Z
"$sileram" --as agent2@example.org submit "Invoice unclear, customers call twice" \
    --by agent2@example.org --join "$id"

step "2 quality check"
at 2026-01-07T10:00:00Z
"$sileram" --as lead triage "$id" --accept

step "3 impact analysis: 12,000 calls a month at EUR 10, satisfaction on billing 6.9"
"$sileram" --as analyst impact "$id" --contacts 12000 --satisfaction-impact 4 \
    --cost-per-contact 10 --satisfaction 6.9

step "4 prioritise"
at 2026-01-12T09:00:00Z
"$sileram" --as lead impact "$id" --go --reason "touches every customer each month"

step "5 root cause"
at 2026-01-20T16:00:00Z
"$sileram" --as analyst root-cause "$id" --cause "The VAT line is printed apart from the amount it belongs to" \
    --customer-view "I cannot see what I am paying for" \
    --internal-view "Layout dates from 2015; nobody owns the invoice text" \
    --method "5 whys" --why "customers cannot match VAT to the amount" --why "layout from 2015" \
    --why "no owner of the invoice text" --evidence "listened to 20 calls" \
    --alternative "printer misalignment"

step "6 improvement actions and business case"
at 2026-01-22T11:00:00Z
"$sileram" --as lead act "$id" --plan "New invoice layout" --owner billing-team --due 2026-03-15 --cost 30000
"$sileram" --as lead act "$id" --plan "Rewrite the VAT line text" --under 1 --owner copywriter --due 2026-02-28 --cost 2000
"$sileram" --as lead act "$id" --expect-reduction 40 --expect-satisfaction 0.3

step "7 go/no-go"
at 2026-01-26T09:00:00Z
"$sileram" --as manager act "$id" --go --reason "business case positive; billing is not being reorganised"

step "8 execute and monitor"
at 2026-02-10T09:00:00Z
"$sileram" --as billing-team act "$id" --progress 1=50
at 2026-02-27T15:00:00Z
"$sileram" --as copywriter act "$id" --done 2
at 2026-03-13T15:00:00Z
"$sileram" --as billing-team act "$id" --done 1

step "9 effect measurement: 7,000 calls a month, satisfaction 7.2"
at 2026-06-01T09:00:00Z
"$sileram" --as analyst measure "$id" --contacts 7000 --satisfaction 7.2 --note "March-May average"

step "10 feedback and close"
at 2026-06-02T09:00:00Z
"$sileram" --as lead close "$id" --summary "New invoice layout since March; the VAT line now sits beside its amount"

step "the result"
"$sileram" show "$id"
rm -rf "$work"
