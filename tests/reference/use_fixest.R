# Load R fixest 0.12.2 for a reference script: from the library folder in the environment variable FIXEST_LIB,
# else ~/.cache/r-fixest-lib, where tests/reference/r-packages/build-fixest.sh builds it.
# use_fixest() stops with a message naming that script when fixest 0.12.2 is not there;
# use_fixest(required = FALSE) returns FALSE instead (for scripts whose fixest cross-check is optional).
fixest_lib <- function() Sys.getenv("FIXEST_LIB", file.path(path.expand("~"), ".cache", "r-fixest-lib"))

use_fixest <- function(required = TRUE) {
  lib <- fixest_lib()
  found <- dir.exists(lib) && suppressWarnings(requireNamespace("fixest", lib.loc = lib, quietly = TRUE)) &&
    packageVersion("fixest", lib.loc = lib) == "0.12.2"
  if (!found) {
    if (!required) return(FALSE)
    stop("R fixest 0.12.2 not found in ", lib, ": build it with tests/reference/r-packages/build-fixest.sh ",
         "(or set FIXEST_LIB to a library folder that has it)", call. = FALSE)
  }
  .libPaths(c(lib, .libPaths()))
  suppressPackageStartupMessages(library(fixest))
  invisible(TRUE)
}
