#pragma once
// How the process's allocator keeps freed memory. The GUI re-analyses on every edit, and each
// analysis of a large drawing allocates and frees about a megabyte. By default glibc hands the
// free top of its heap back to the kernel past 128 KB, and maps blocks of 128 KB or more
// afresh each time. The next analysis then takes every page back through a page fault: about
// 300 a run for 1,000 components, a tenth of the analysis on a virtual machine
// (bench/analysis_bench.cpp).
//
// keepFreedMemory keeps up to 64 MB of freed heap for the next use, and maps only blocks of
// 4 MB or more (which still go back to the kernel when freed). Called first thing by the GUI, the CLI and the benchmarks, so the benchmarks time what
// the applications do.

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace headroom {

inline void keepFreedMemory() {
#if defined(__GLIBC__)
    ::mallopt(M_MMAP_THRESHOLD, 4 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

} // namespace headroom
