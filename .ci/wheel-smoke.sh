#!/usr/bin/env bash
# The package as users meet it: build the wheel once, install it into one fresh virtualenv per
# extra (nothing else of ours), and run that extra's entry points from outside the repository.
# A feature whose extra is missing must fail with one line naming `hat-sdk[<extra>]`.
# Dependencies are pinned to requirements/dev.txt (the versions the tests ran with); pip's cache
# is reused, so a rerun installs from disk.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
sandbox_pid=
cleanup() {
    if [[ -n $sandbox_pid ]]; then kill "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
# Never touch a real keyring; this is also the "server without a keyring" case.
export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring
unset HAT_URL HAT_USERNAME HAT_PASSWORD HAT_APP HAT_LOG

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'wheel-smoke: FAILED: %s\n' "$*" >&2; exit 1; }

# expect_one_line EXTRA COMMAND...: the command fails with a message naming hat-sdk[EXTRA] and
# no traceback.
expect_one_line() {
    local extra=$1 out status=0
    shift
    out=$("$@" 2>&1) || status=$?
    [[ $status -ne 0 ]] || fail "$* succeeded without the $extra extra"
    grep -Fq "hat-sdk[$extra]" <<<"$out" || fail "$*: no mention of hat-sdk[$extra]: $out"
    if grep -q Traceback <<<"$out"; then fail "$*: printed a traceback: $out"; fi
    printf 'ok (exit %s): %s\n' "$status" "$out"
}

# expect_error EXTRA PYTHON CODE: the code raises an error whose one-line message names the extra.
expect_error() {
    local extra=$1 py=$2 code=$3
    "$py" - <<EOF || fail "$code: did not raise a one-line error naming hat-sdk[$extra]"
try:
$(sed 's/^/    /' <<<"$code")
except ImportError as exc:
    message = str(exc)
    assert "hat-sdk[$extra]" in message and "\n" not in message, message
    print("ok:", message)
else:
    raise SystemExit("no error")
EOF
}

step "build the wheel"
"$repo/.venv/bin/python" -m hatchling build -t wheel -d "$work/dist" >/dev/null 2>&1
wheel=$(ls "$work"/dist/hat_sdk-*.whl)
echo "$wheel"

step "one virtualenv per extra (installed in parallel)"
install() {  # install NAME SPEC [MORE...]; one pip (the dev one) serves every venv
    local name=$1
    shift
    "$python" -m venv --without-pip "$work/$name"
    "$repo/.venv/bin/python" -m pip --python "$work/$name/bin/python" install --quiet \
        --disable-pip-version-check --no-compile -c "$repo/requirements/dev.txt" "$@"
}
pids=()
install base "$wheel" pytest & pids+=($!)
install sandbox "$wheel[sandbox]" pytest & pids+=($!)
install cache "$wheel[cache]" & pids+=($!)
install cli "$wheel[cli]" & pids+=($!)
install codegen "$wheel[codegen]" & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid" || fail "an install failed"; done
cd "$work"  # never import hat_sdk from the checkout

cat >"$work/test_fixture.py" <<'EOF'
def test_sandbox_fixture(hat_sandbox):
    assert hat_sandbox.url.startswith("http://127.0.0.1:")
EOF

step "base: the client imports; every extra's entry point names its extra"
base=$work/base/bin
"$base/python" -c 'import hat_sdk; hat_sdk.HatClient; hat_sdk.ApiOwnerToken; print("ok: import")'
expect_one_line cli "$base/hat" --help
expect_one_line sandbox "$base/hat-sandbox"
expect_error sandbox "$base/python" $'from hat_sdk.sandbox import Sandbox\nwith Sandbox():\n    pass'
expect_error codegen "$base/python" 'import hat_sdk.codegen'
expect_error cache "$base/python" $'from hat_sdk import HatClient, ApiOwnerToken\nHatClient(ApiOwnerToken("a", hat_url="http://127.0.0.1:9"), "ns", cache_ttl=5)'
out=$("$base/python" -m pytest -q -p no:cacheprovider test_fixture.py 2>&1) && fail "fixture ran"
grep -Fq 'hat-sdk[sandbox]' <<<"$out" || fail "hat_sandbox fixture: $out"
echo "ok: the hat_sandbox fixture names hat-sdk[sandbox]"

step "sandbox: with Sandbox(), the fixture, hat-sandbox"
sb=$work/sandbox/bin
"$sb/python" -c 'from hat_sdk.sandbox import Sandbox
with Sandbox() as url: print("ok: with Sandbox() served", url)'
"$sb/python" -m pytest -q -p no:cacheprovider test_fixture.py
out=$("$sb/hat-sandbox" --help)
grep -q 'sandbox / sandbox' <<<"$out" || fail "hat-sandbox --help: no default login: $out"
"$sb/hat-sandbox" --port 0 >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
url=
for _ in $(seq 100); do  # poll until the sandbox says where it listens
    url=$(grep -o 'http://[0-9.:]*' "$work/sandbox.log" || true)
    [[ -n $url ]] && break
    kill -0 "$sandbox_pid" 2>/dev/null || fail "hat-sandbox died: $(cat "$work/sandbox.log")"
    sleep 0.1
done
[[ -n $url ]] || fail "hat-sandbox did not start"
echo "ok: hat-sandbox serves $url"

step "cli: help, version, no keyring, credentials from the environment"
cli=$work/cli/bin
"$cli/hat" --help >/dev/null
"$cli/hat" -h >/dev/null
"$cli/hat" --version
expect_one_line codegen "$cli/hat" models generate --schema "$work/test_fixture.py"
expect_one_line sandbox "$cli/hat" sandbox
out=$(HAT_URL=$url HAT_USERNAME=sandbox "$cli/hat" login --password-stdin <<<sandbox 2>&1) &&
    fail "hat login stored a password without a keyring"
grep -q HAT_PASSWORD <<<"$out" || fail "hat login without a keyring does not name HAT_PASSWORD: $out"
echo "ok: hat login without a keyring points to HAT_PASSWORD"
HAT_URL=$url HAT_USERNAME=sandbox HAT_PASSWORD=sandbox "$cli/hat" whoami | tee "$work/whoami"
grep -q '^user: sandbox$' "$work/whoami" || fail "whoami does not show the user"
out=$(HAT_URL=$url HAT_USERNAME=sandbox HAT_APP=sandbox-app "$cli/hat" --password-stdin whoami \
    <<<sandbox)
grep -q '^application: sandbox-app$' <<<"$out" || fail "whoami --password-stdin as the app: $out"
echo "ok: whoami with --password-stdin as sandbox-app"

step "codegen: models from samples"
echo '{"name": "x", "size": 1}' >"$work/thing.jsonl"
"$work/codegen/bin/python" -c 'import sys
from hat_sdk.codegen import generate_models
code = generate_models(sys.argv[1], kind="jsonl")
assert "class Thing(HatModel)" in code, code
print("ok: generated class Thing")' "$work/thing.jsonl"
expect_one_line cli "$work/codegen/bin/hat"

step "cache: cached reads against the sandbox"
"$work/cache/bin/python" - "$url" <<'EOF'
import sys
from keyring.credentials import SimpleCredential
from hat_sdk import ApiOwnerToken, HatClient, HatModel
owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=sys.argv[1])
with HatClient(owner, "sandbox-app", cache_ttl=60) as client:
    client.get(HatModel, "smoke")
    print("ok: cached read")
EOF

printf '\nwheel-smoke: every extra works alone\n'
