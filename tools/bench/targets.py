#!/usr/bin/env python3
# Combines bench_report's target tables of both builds into one table (measured ratios only).
import sys, re
def parse(path):
    rows = {}
    for line in open(path):
        c = [x.strip() for x in line.strip().strip('|').split('|')]
        if len(c) == 5 and c[1] in ('in cache', '4 Mi') and c[0] != 'target (issue 4)':
            name = re.sub(r' \(sampled max ULP:.*\)', '', c[0])
            rows.setdefault(name, {})[c[1]] = (c[2], c[3], c[4].replace('*', ''), c[0])
    return rows
d, n = parse(sys.argv[1]), parse(sys.argv[2])
print('| target (issue 4) | default, 4096 | default, 4 Mi | native, 4096 | native, 4 Mi | verdict |')
print('|---|---|---|---|---|---|')
for name in d:
    cells, ok = [], True
    for rows in (d, n):
        for size in ('in cache', '4 Mi'):
            m, goal, met, _ = rows[name][size]
            ok &= met == 'yes'
            cells.append(f"{m} ({'met' if met == 'yes' else 'not met'})")
    gd, gn = d[name]['in cache'][1], n[name]['in cache'][1]
    goal = gd if gd == gn else f"{gd} default, {gn} native"
    print(f"| {name}, target {goal} | " + ' | '.join(cells) + f" | {'MET' if ok else 'NOT MET'} |")
