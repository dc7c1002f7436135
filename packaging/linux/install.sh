#!/bin/sh
# Install the built bundle for the current user: the program in
# ~/.local/share/pipl-reviewer, a command in ~/.local/bin, the menu entry, the
# icon and the .piplrev file type. Run from the repository after `make package`:
#
#     sh packaging/linux/install.sh [BUNDLE_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bundle=${1:-$repo/dist/pipl-reviewer}
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin

if [ ! -x "$bundle/pipl-reviewer" ]; then
    echo "install.sh: no bundle at $bundle; run 'make package' first" >&2
    exit 1
fi
mkdir -p "$data/pipl-reviewer" "$bin" "$data/applications" "$data/mime/packages"
rm -rf "$data/pipl-reviewer/app"
cp -R "$bundle" "$data/pipl-reviewer/app"
ln -sf "$data/pipl-reviewer/app/pipl-reviewer" "$bin/pipl-reviewer"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$repo/resources/icons/pipl-reviewer-$size.png" "$data/icons/hicolor/${size}x${size}/apps/pipl-reviewer.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$repo/resources/icons/pipl-reviewer.svg" "$data/icons/hicolor/scalable/apps/pipl-reviewer.svg"
sed "s|^Exec=pipl-reviewer|Exec=$bin/pipl-reviewer|; s|^TryExec=pipl-reviewer|TryExec=$bin/pipl-reviewer|" \
    "$here/pipl-reviewer.desktop" > "$data/applications/pipl-reviewer.desktop"
cp "$here/pipl-reviewer-mime.xml" "$data/mime/packages/pipl-reviewer.xml"

# Refresh the desktop's caches where the tools exist.
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
command -v xdg-mime >/dev/null && xdg-mime default pipl-reviewer.desktop application/x-piplrev || true
echo "installed: $bin/pipl-reviewer, menu entry 'PIPL Policy Reviewer', .piplrev files open with it"
