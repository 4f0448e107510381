#!/bin/sh
# Build self-contained copies of the helpdesk apps for upload.
#
#   sh integrations/package.sh [OUT_DIR]      (OUT_DIR defaults to integrations/dist)
#
# The app folders hold symlinks to the shared shared/holdthread-core.js; helpdesk
# bundles must contain every file they load, so each app is copied with
# `cp -RL` (symlinks replaced by the files they point to) into OUT_DIR/<app>/.
# Package and upload those copies, never the source folders.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
out=${1:-"$here/dist"}

# Canonical OUT_DIR (no ".", ".." or symlinks) before anything is deleted in it.
if [ -d "$out" ]; then
  out=$(cd "$out" && pwd -P)
else
  parent=$(cd "$(dirname "$out")" 2>/dev/null && pwd -P) || {
    echo "package.sh: the parent folder of $out does not exist" >&2
    exit 1
  }
  out="$parent/$(basename "$out")"
fi
case "$out" in
  "$here"|"$here/zendesk"|"$here/zendesk/"*|"$here/freshdesk"|"$here/freshdesk/"*)
    echo "package.sh: OUT_DIR must not be integrations/ or inside an app folder: $out" >&2
    exit 1
    ;;
esac
mkdir -p "$out"

for app in zendesk freshdesk; do
  rm -rf "$out/$app"
  cp -RL "$here/$app" "$out/$app"
  # Leftovers of packaging the source folder directly (zcli writes tmp/, fdk writes dist/ and .fdk/).
  rm -rf "$out/$app/tmp" "$out/$app/dist" "$out/$app/.fdk"
done

# The copies must be self-contained: no symlinks, and the current core in each app.
if [ -n "$(find "$out/zendesk" "$out/freshdesk" -type l)" ]; then
  echo "package.sh: symlinks left in $out (cp -RL failed to resolve them)" >&2
  exit 1
fi
for core in "$out/zendesk/assets/holdthread-core.js" "$out/freshdesk/app/scripts/holdthread-core.js"; do
  if ! cmp -s "$here/shared/holdthread-core.js" "$core"; then
    echo "package.sh: $core is missing or differs from shared/holdthread-core.js" >&2
    exit 1
  fi
done

# Show paths relative to the current directory when OUT_DIR is under it.
shown=$out
cwd=$(pwd -P)
case "$out" in "$cwd"/*) shown=${out#"$cwd"/} ;; esac

cat <<MSG
Built self-contained app folders in $shown/

Zendesk:
  zcli apps:validate $shown/zendesk
  zcli apps:package $shown/zendesk      # writes $shown/zendesk/tmp/app-<timestamp>.zip

Freshdesk:
  cd $shown/freshdesk && fdk validate && fdk pack   # writes $shown/freshdesk/dist/freshdesk.zip
MSG
