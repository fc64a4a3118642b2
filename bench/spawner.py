"""A small process that starts the measured children and reports wall time and peak RSS.

Linux keeps a process's peak RSS across fork and exec, so children started by
the benchmark process itself (which holds large test histories) would report
its peak. This helper stays small; it reads one JSON request per line
({"args": [...], "env": {...}}) and answers one JSON line per request.
"""

import json
import os
import subprocess
import sys
import time

for line in sys.stdin:
    request = json.loads(line)
    started = time.perf_counter()
    child = subprocess.Popen(
        request["args"], env=request["env"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.stderr.close()
    answer = {
        "elapsed": elapsed,
        "maxrss": usage.ru_maxrss,
        "code": os.waitstatus_to_exitcode(status),
        "stderr": stderr.decode(errors="replace")[-400:],
    }
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
