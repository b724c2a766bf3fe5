#!/usr/bin/env bash
# Installs what the end-to-end tests need: Debian packages (Chromium, ripgrep, headers for
# code-server's native modules) and code-server in test/e2e/.tools. Idempotent: when all is
# present it only checks (a second or so). `npm test` runs it first (pretest). Works offline apart
# from Debian's apt and the npm registry. Installs only the missing packages and never upgrades
# others. Leaves nothing in the temp dir.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
APT_PACKAGES=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)  # $0: read from stdin
TOOLS="$ROOT/test/e2e/.tools"
STAMP="$TOOLS/.installed-code-server-$CODE_SERVER_VERSION"
LOG="$TOOLS/install.log"

say() { printf '[e2e-setup %3ss] %s\n' "$SECONDS" "$*"; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly, or through sudo when that works without a password prompt
# (nothing may wait for input). Otherwise says what to install and exits.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else
    die "the end-to-end tests need these Debian packages: ${missing[*]}. Installing them needs root, and this is user $(id -un) without password-less sudo. Run once as root: apt-get update && apt-get install -y ${missing[*]}; then run npm test again."
  fi
}

# --- Debian packages -------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# node-gyp builds code-server's native modules with these.
for c in make g++ python3; do
  command -v "$c" >/dev/null || missing+=("$c")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null \
    || die "the end-to-end tests need these Debian packages: ${missing[*]}; apt-get is not available here, so install their equivalents and run npm test again"
  as_root true  # fails with the message above before anything starts
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
    || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"
else
  say "Debian packages present: ${APT_PACKAGES[*]}"
fi
command -v chromium >/dev/null || die "chromium not on PATH after install"
command -v rg >/dev/null || die "rg (ripgrep) not on PATH after install"

# --- Node version: code-server $CODE_SERVER_VERSION runs on Node 20 only -----------------------
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || die "node not found"
[ "$node_major" = 20 ] || die "code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)"

# --- code-server -----------------------------------------------------------------------------
installed_version() {
  node -p "require('$TOOLS/node_modules/code-server/package.json').version" 2>/dev/null || true
}
if [ -f "$STAMP" ] && [ "$(installed_version)" = "$CODE_SERVER_VERSION" ]; then
  say "code-server $CODE_SERVER_VERSION already installed in ${TOOLS#"$ROOT"/}"
else
  [ "$(uname -m)" = x86_64 ] || die "the ripgrep cache trick is set up for x86_64 only"
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  # The install's temp files (npm's and the ripgrep cache below) stay inside the tools folder
  # and go when it is done.
  install_tmp="$TOOLS/.tmp"
  mkdir -p "$install_tmp"
  # @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here; it
  # looks in this cache (under the temp dir) first, so hand it Debian's rg under the name it expects.
  rg_cache="$install_tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rg_cache"
  tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" \
    -C "$(dirname "$(command -v rg)")" rg
  say "ripgrep cache ready in $rg_cache"

  say "installing code-server@$CODE_SERVER_VERSION into ${TOOLS#"$ROOT"/} (a few minutes; log: ${LOG#"$ROOT"/})"
  printf '{\n  "private": true,\n  "dependencies": { "code-server": "%s" }\n}\n' \
    "$CODE_SERVER_VERSION" >"$TOOLS/package.json"
  # code-server's postinstall runs `npm install` twice inside its own folders, so an
  # allowScripts list in our package.json cannot reach those; only this switch does.
  # unsafe_perm: the postinstall refuses to run as root without it; yes: node-gyp via npx
  # would otherwise ask; ignore_scripts=false guards against a user-level setting.
  if ! (cd "$TOOLS" && env \
      TMPDIR="$install_tmp" \
      npm_config_yes=true \
      npm_config_unsafe_perm=true \
      npm_config_ignore_scripts=false \
      npm_config_dangerously_allow_all_scripts=true \
      npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false \
      npm install --foreground-scripts --no-save </dev/null >"$LOG" 2>&1); then
    tail -n 40 "$LOG" >&2
    die "npm install of code-server failed (full log: $LOG)"
  fi

  # The install can "succeed" with skipped scripts: check the native parts really exist.
  vs="$TOOLS/node_modules/code-server/lib/vscode"
  for f in "$vs/node_modules/node-pty/build/Release/pty.node" \
           "$vs/node_modules/@vscode/spdlog/build/Release/spdlog.node" \
           "$vs/node_modules/@vscode/ripgrep/bin/rg" \
           "$vs/extensions/node_modules/typescript"; do
    [ -e "$f" ] || { tail -n 40 "$LOG" >&2; die "code-server postinstall incomplete, missing $f (log: $LOG)"; }
  done
  (cd "$TOOLS/node_modules/code-server" && node -e 'require("argon2")') \
    || die "argon2 (native, built by its install script) does not load (log: $LOG)"
  rm -rf "$install_tmp"

  # A throwaway config dir: code-server writes a default config.yaml on every start.
  cfg="$TOOLS/.check"
  version_line=$(XDG_CONFIG_HOME="$cfg" XDG_DATA_HOME="$cfg" \
    "$TOOLS/node_modules/.bin/code-server" --version 2>/dev/null | grep -m1 "^$CODE_SERVER_VERSION ") \
    || { rm -rf "$cfg"; die "code-server does not start; rerun after: rm -rf $TOOLS"; }
  rm -rf "$cfg"
  say "installed: code-server $version_line"
  touch "$STAMP"
fi
say "ready: $(chromium --version 2>/dev/null), done in ${SECONDS}s"
