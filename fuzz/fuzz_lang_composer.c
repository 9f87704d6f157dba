/* fuzz/fuzz_lang_composer.c: runs both Composer parsers on arbitrary bytes
 * (as vendor/composer/installed.json, then as composer.lock). */
#include "pkg_harness.h"
#include "scanner/lang/rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ph_run(scan_lang_composer_installed_parse, "app/vendor/composer/installed.json", data, size);
	return ph_run(scan_lang_composer_lock_parse, "app/composer.lock", data, size);
}
