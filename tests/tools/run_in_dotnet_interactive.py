#!/usr/bin/env python3
"""Run a notebook's code cells in the kernel VS Code uses (the dotnet-interactive tool, stdio mode),
to check that a notebook opens and runs as it is in VS Code Polyglot Notebooks. Not part of CI: it
needs the tool, e.g.
    dotnet tool install Microsoft.dotnet-interactive --tool-path /tmp/dni
    dotnet build lib/Compendium
    python3 tests/tools/run_in_dotnet_interactive.py notebooks/01_sample_and_policy.ipynb /tmp/dni/dotnet-interactive
Prints each cell's outputs (MIME types and the start of the value) and exits 1 at the first failing cell.
Note: it runs the notebook as a user would, so Report.Save writes to the repository's output/.
"""
import json, os, subprocess, sys

nb_path = sys.argv[1]
tool = sys.argv[2] if len(sys.argv) > 2 else "dotnet-interactive"
nb = json.load(open(nb_path, encoding="utf-8"))
p = subprocess.Popen([tool, "stdio", "--default-kernel", "csharp"], cwd=os.path.dirname(os.path.abspath(nb_path)),
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
ok = True
for i, c in enumerate(nb["cells"]):
    if c["cell_type"] != "code":
        continue
    tok = f"cell{i}"
    p.stdin.write(json.dumps({"commandType": "SubmitCode", "token": tok,
                              "command": {"code": "".join(c["source"]), "targetKernelName": "csharp"}}) + "\n")
    p.stdin.flush()
    while True:
        line = p.stdout.readline()
        if not line:
            print("kernel exited")
            sys.exit(2)
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        et, cmd_tok = ev.get("eventType"), (ev.get("command") or {}).get("token", "")
        if et in ("DisplayedValueProduced", "StandardOutputValueProduced", "ReturnValueProduced") and cmd_tok.startswith(tok):
            vals = ev["event"].get("formattedValues", [])
            print(f"  {c['id']}: {et} {[v['mimeType'] for v in vals]} {vals[0]['value'][:80]!r}" if vals else f"  {c['id']}: {et}")
        if et in ("CommandSucceeded", "CommandFailed") and cmd_tok == tok:
            print(f"{c['id']}: {et} {ev['event'].get('message', '')[:400]}")
            ok = et == "CommandSucceeded"
            break
    if not ok:
        break
p.kill()
sys.exit(0 if ok else 1)
