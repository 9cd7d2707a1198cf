// The parse cache: the YAML files mrv reads (methodologies, tables,
// projects, schemes), kept parsed in a folder, so that a run does not parse
// again a file it has parsed before (yaml-cpp takes about a millisecond for a
// methodology: most of a small calculation's start-up).
//
// An entry is named by the SHA-256 of the file's bytes, mrv's version and
// the parser's limits, and holds the parsed tree, nothing derived from it:
// the loaders check it as they check a freshly parsed one, so a result never
// depends on the cache. A file whose parse fails is not kept (it is parsed
// again, and its error reported, every time). An entry that cannot be read
// back whole is ignored; a folder that cannot be written is not used.
#pragma once

#include <string>

namespace mrv {

// Uses `folder` (created when first written) for the parse cache; an empty
// folder turns it off, which is the default of the library.
void use_parse_cache(std::string folder);

// The folder the mrv command uses: $MRV_CACHE_DIR ("off": none), else
// $XDG_CACHE_HOME/mrv, else $HOME/.cache/mrv; "" when none applies.
std::string default_parse_cache();

} // namespace mrv
