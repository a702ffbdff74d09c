"""The camera scanner decodes barcodes in the browser with WebAssembly (zxing-wasm, vendored under
static/), which the site's Content-Security-Policy allows only on the pages that scan."""

from csp.constants import WASM_UNSAFE_EVAL
from csp.decorators import csp_update

allows_the_scanner = csp_update({"script-src": [WASM_UNSAFE_EVAL]})
