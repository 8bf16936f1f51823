#!/usr/bin/env bash
# Copy the front-end files Porchlight serves out of node_modules into the (git-ignored) static vendor folder.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=porchlight/web/static/vendor
rm -rf "$dst"
mkdir -p "$dst/uswds/css" "$dst/uswds/js" "$dst/uswds/img" "$dst/leaflet" "$dst/vega" "$dst/htmx" "$dst/axe"
cp "$src/@uswds/uswds/dist/css/uswds.min.css" "$dst/uswds/css/"
cp "$src/@uswds/uswds/dist/js/uswds.min.js" "$src/@uswds/uswds/dist/js/uswds-init.min.js" "$dst/uswds/js/"
cp -r "$src/@uswds/uswds/dist/fonts" "$dst/uswds/"
# Only the images the stylesheet and our templates use (the full set is 10 MB).
for f in us_flag_small.png icon-dot-gov.svg icon-https.svg lock.svg close.svg sprite.svg \
         correct8.svg checkbox-indeterminate.svg circle-124.png; do
    [ -f "$src/@uswds/uswds/dist/img/$f" ] && cp "$src/@uswds/uswds/dist/img/$f" "$dst/uswds/img/"
done
cp -r "$src/@uswds/uswds/dist/img/usa-icons" "$src/@uswds/uswds/dist/img/usa-icons-bg" "$dst/uswds/img/"
cp "$src/leaflet/dist/leaflet.js" "$src/leaflet/dist/leaflet.css" "$dst/leaflet/"
cp -r "$src/leaflet/dist/images" "$dst/leaflet/"
cp "$src/vega/build/vega.min.js" "$src/vega-lite/build/vega-lite.min.js" "$src/vega-embed/build/vega-embed.min.js" "$dst/vega/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/axe-core/axe.min.js" "$dst/axe/"
