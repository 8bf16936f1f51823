#!/usr/bin/env bash
# Copy the front-end files Porchlight serves out of node_modules into the (git-ignored) static vendor folder,
# with every file they refer to (images and fonts in url(...), source maps): `collectstatic` with the manifest
# storage (DEBUG off) rewrites those references and stops on any file that is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=porchlight/web/static/vendor
rm -rf "$dst"
mkdir -p "$dst/uswds/css" "$dst/uswds/js" "$dst/uswds/img" "$dst/leaflet" "$dst/vega" "$dst/htmx" "$dst/axe"

# copy FILE DEST_DIR: the file, plus the files it refers to at the same relative paths beside it.
copy() {
    local file=$1 into=$2 dir ref refs
    cp "$file" "$into/"
    dir=$(dirname "$file")
    refs=$(
        {
            case "$file" in
                *.css) grep -o 'url([^)]*)' "$file" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']\$//" ;;
            esac
            grep -o 'sourceMappingURL=[^ *]*' "$file" | sed 's/^sourceMappingURL=//'
        } | grep -v -E '^(#|data:|[a-z]+:|//|$)' | sed 's/[?#].*//' | sort -u || true
    )
    for ref in $refs; do
        if [ ! -f "$dir/$ref" ]; then
            echo "assets.sh: $file refers to $ref, which its package does not ship" >&2
            exit 1
        fi
        mkdir -p "$(dirname "$into/$ref")"
        cp "$dir/$ref" "$into/$ref"
    done
}

copy "$src/@uswds/uswds/dist/css/uswds.min.css" "$dst/uswds/css"
copy "$src/@uswds/uswds/dist/js/uswds.min.js" "$dst/uswds/js"
copy "$src/@uswds/uswds/dist/js/uswds-init.min.js" "$dst/uswds/js"
# Besides what the stylesheet refers to, only the images our templates use (the full set is 10 MB).
for f in us_flag_small.png icon-dot-gov.svg icon-https.svg lock.svg close.svg sprite.svg circle-124.png; do
    [ -f "$src/@uswds/uswds/dist/img/$f" ] && cp "$src/@uswds/uswds/dist/img/$f" "$dst/uswds/img/"
done
cp -r "$src/@uswds/uswds/dist/img/usa-icons" "$src/@uswds/uswds/dist/img/usa-icons-bg" "$dst/uswds/img/"
copy "$src/leaflet/dist/leaflet.js" "$dst/leaflet"
copy "$src/leaflet/dist/leaflet.css" "$dst/leaflet"
cp -r "$src/leaflet/dist/images" "$dst/leaflet/"
for f in "$src/vega/build/vega.min.js" "$src/vega-lite/build/vega-lite.min.js" "$src/vega-embed/build/vega-embed.min.js"; do
    copy "$f" "$dst/vega"
done
copy "$src/htmx.org/dist/htmx.min.js" "$dst/htmx"
copy "$src/axe-core/axe.min.js" "$dst/axe"

# Vega compiles chart expressions with eval unless given its interpreter, which ships only as an ES module
# importing vega-util: wrap it as a classic script that takes those names from the `vega` global (vega.min.js
# re-exports vega-util; that object is frozen, so the result is the global `vegaExpressionInterpreter`), so that a Content-Security-Policy without 'unsafe-eval' still draws every chart.
interp="$src/vega-interpreter/build/vega-interpreter.js"
import_line="import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
export_line="export { expression as expressionInterpreter };"
if [ "$(head -n 1 "$interp")" != "$import_line" ] || ! grep -qxF "$export_line" "$interp"; then
    echo "assets.sh: $interp changed shape; update the wrapper below" >&2
    exit 1
fi
{
    echo "/* vega-interpreter $(sed -n 's/^  \"version\": \"\(.*\)\",/\1/p' "$src/vega-interpreter/package.json") (BSD-3-Clause), wrapped by scripts/assets.sh */"
    echo "(function (vega) {"
    echo "const { ascending, isString, DisallowedObjectProperties } = vega;"
    sed -e '1d' -e '/^\/\/# sourceMappingURL=/d' \
        -e "s/^export { expression as expressionInterpreter };\$/window.vegaExpressionInterpreter = expression;/" "$interp"
    echo "})(window.vega);"
} > "$dst/vega/vega-interpreter.js"
