# Sourced by the other scripts: where the tools are, and the settings they need.
# shellcheck shell=bash
export SWITCHBOARD_TOOLS="${SWITCHBOARD_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard/tools}"
export PATH="$SWITCHBOARD_TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk would otherwise ask the network for its latest version.
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
