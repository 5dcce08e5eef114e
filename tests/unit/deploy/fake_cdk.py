"""A stand-in for the CDK CLI: appends its arguments (and the resource mapping it was given) to
$LZ_FAKE_CDK_LOG as one JSON line, and exits 1 when $LZ_FAKE_CDK_FAIL names one of its stacks."""
import json
import os
import sys

args = sys.argv[1:]
entry = {"args": args}
if "--resource-mapping" in args:
    with open(args[args.index("--resource-mapping") + 1], encoding="utf-8") as mapping:
        entry["mapping"] = json.load(mapping)
with open(os.environ["LZ_FAKE_CDK_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(entry) + "\n")
sys.exit(1 if os.environ.get("LZ_FAKE_CDK_FAIL") in args else 0)
