/*
 * libkpurge - asking apt (see apt-shim.h): the only file that speaks
 * libapt-pkg's C++. Every entry point catches exceptions and turns apt's
 * global _error stack into a kp_error, so none of apt leaks into C.
 *
 * This file is built alone into the module kpurge-apt.so (with its own copy
 * of error.c), which lib/apt-load.c opens on the first kp_apt_open(): a
 * plan, --status or --hook that never asks apt does not load libapt-pkg,
 * libstdc++ and their dependencies. The module exports one symbol,
 * KP_APT_MODULE_SYMBOL, the table of its entry points; everything else is
 * hidden (-fvisibility=hidden).
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <apt-pkg/algorithms.h>
#include <apt-pkg/aptconfiguration.h>
#include <apt-pkg/cachefile.h>
#include <apt-pkg/cachefilter.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/depcache.h>
#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/init.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/pkgsystem.h>
#include <apt-pkg/policy.h>
#include <apt-pkg/strutl.h>
#include <apt-pkg/version.h>

extern "C" {
#include "kpurge-private.h"
#include "kpurge-trust.h"
}
#include "apt-shim.h"

typedef pkgCache::PkgIterator Pkg;
typedef pkgCache::DepIterator Dep;

class kp_depcache;

struct kp_apt {
	std::string root;   /* absolute, "" for "/" */
	pkgCacheFile cache; /* package cache and policy; no lock taken */
	/* One depcache for every question, marks undone between them;
	 * declared after cache, so destroyed before it. */
	std::unique_ptr<kp_depcache> dc;
	bool dc_marked = false; /* a simulation left marks in dc */
};

/* libapt-pkg's _config and _system are global: one handle at a time. */
static bool apt_busy;

/* ------------------------------------------------------------ errors */

/* Empty apt's message stack: its errors, then its warnings and notices. */
static void
pop_messages(std::string *errors, std::string *warnings)
{
	std::string msg;

	while (!_error->empty(GlobalError::DEBUG)) {
		std::string &to = _error->PopMessage(msg) ? *errors : *warnings;
		to += (to.empty() ? "" : "; ") + msg;
	}
}

/*
 * Move apt's messages into err after what, errors first, and return code.
 * Warnings (a sandbox without etc/apt, say) only matter as context of a
 * failure, so they come last.
 */
static int
drain(struct kp_error *err, int code, const char *what)
{
	std::string errors, warnings;

	pop_messages(&errors, &warnings);
	if (!warnings.empty())
		errors += (errors.empty() ? "" : "; ") + warnings;
	if (errors.empty())
		return kp__error_set(err, code, "%s", what);
	return kp__error_set(err, code, "%s: %s", what, errors.c_str());
}

/* Run body, turning any exception into an error return. */
template <typename F>
static int
guarded(struct kp_error *err, F body)
{
	try {
		return body();
	} catch (const std::bad_alloc &) {
		_error->Discard();
		return kp__error_set(err, -ENOMEM,
		                     "out of memory in libapt-pkg");
	} catch (const std::exception &e) {
		return drain(err, -EIO,
		             (std::string("libapt-pkg failed: ") + e.what())
		                     .c_str());
	} catch (...) {
		return drain(err, -EIO, "libapt-pkg failed");
	}
}

/* strdup that throws, so guarded() cleans up after it. */
static char *
xstrdup(const std::string &s)
{
	char *copy = strdup(s.c_str());

	if (copy == NULL)
		throw std::bad_alloc();
	return copy;
}

static void shim_strv_free(char **v);
static void shim_sim_clear(struct kp_apt_sim *sim);

/* A NULL-terminated, malloc'ed copy of v (shim_strv_free() frees it). */
static char **
to_strv(const std::vector<std::string> &v)
{
	char **strv = static_cast<char **>(calloc(v.size() + 1, sizeof(*strv)));

	if (strv == NULL)
		throw std::bad_alloc();
	for (size_t i = 0; i < v.size(); i++) {
		strv[i] = strdup(v[i].c_str());
		if (strv[i] == NULL) {
			shim_strv_free(strv);
			throw std::bad_alloc();
		}
	}
	return strv;
}

/** Free a NULL-terminated string array from this file (NULL is fine). */
static void
shim_strv_free(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------ apt's caches */

/*
 * Is the cache file at path one that only root or we can have put there,
 * by every name on the way: the trust walk of lib/trust.c (no component,
 * link or directory, that another user owns or that group or others can
 * write; a sticky directory crossed only into one of root's), the same
 * rule as for the apt module and APT_CONFIG. A missing file is what apt
 * would create: then the nearest directory that exists is judged.
 */
static bool
trusted_cache_path(const std::string &path)
{
	struct kp_error err;
	struct stat st;

	kp_error_clear(&err);
	if (lstat(path.c_str(), &st) == 0)
		return S_ISREG(st.st_mode) &&
		       kp_trust_path(path.c_str(), geteuid(), &err);
	if (errno != ENOENT)
		return false;
	std::string dir = flNotFile(path);
	while (dir.size() > 1 && lstat(dir.c_str(), &st) < 0) {
		if (errno != ENOENT)
			return false;
		dir = flNotFile(dir.substr(0, dir.size() - 1));
	}
	return kp_trust_path(dir.c_str(), geteuid(), &err);
}

/*
 * apt's binary caches, pkgcache.bin and srcpkgcache.bin, used the way
 * apt-get uses them (pkgCacheFile::BuildCaches): mapped when valid against
 * the lists and the status file, the status merged into srcpkgcache.bin
 * when only dpkg's database changed, rebuilt from the lists otherwise; a
 * fresh cache is written where apt-get writes it (where this process may
 * write: as root), else built in memory, as `apt-get -s` does for a plain
 * user. apt checks a cache only against the files' sizes and times, so
 * one that another user could have written (or could swap) is not used:
 * the cache is then built in memory and nothing is written.
 */
static void
use_apt_caches(void)
{
	if (trusted_cache_path(_config->FindFile("Dir::Cache::pkgcache")) &&
	    trusted_cache_path(_config->FindFile("Dir::Cache::srcpkgcache")))
		return;
	_config->Set("Dir::Cache::pkgcache", "");
	_config->Set("Dir::Cache::srcpkgcache", "");
}

/* -------------------------------------------------------------- open */

/*
 * An absolute root ("" for "/") holding a readable dpkg status file:
 * apt itself treats a missing status file as an empty system.
 */
static int
resolve_root(const char *root, std::string *out, struct kp_error *err)
{
	char real[PATH_MAX], status[PATH_MAX + 32];

	if (root == NULL || root[0] == '\0')
		root = "/";
	if (realpath(root, real) == NULL)
		return kp__error_set(err, -errno,
		                     "cannot use root directory "
		                     "'%s': %s",
		                     root, strerror(errno));
	*out = strcmp(real, "/") == 0 ? "" : real;
	snprintf(status, sizeof(status), "%s/var/lib/dpkg/status",
	         out->c_str());
	if (access(status, R_OK) < 0)
		return kp__error_set(err, -errno,
		                     "cannot read the dpkg "
		                     "database %s: %s",
		                     status, strerror(errno));
	return 0;
}

/*
 * apt-get moves its own section, Binary::apt-get, to the top of the
 * configuration before it reads its command line
 * (apt-private/private-cmndline.cc): "Binary::apt-get::APT::Get::..." in
 * apt.conf.d applies to apt-get, and so to the proof.
 */
static void
as_apt_get(Configuration &cnf)
{
	cnf.Set("Binary", "apt-get");
	cnf.MoveSubTree("Binary::apt-get", nullptr);
}

/*
 * The purge's apt-get command line, applied as apt-get applies it: each
 * -o sets its item (a name ending in "::" appends to a list), each -c
 * reads its file, in order.
 */
static bool
apply_items(Configuration &cnf, const struct kp_apt_config *config)
{
	for (size_t i = 0; config != NULL && i < config->n; i++) {
		const struct kp_apt_item &item = config->items[i];
		if (item.kind == KP_APT_ITEM_FILE) {
			if (!ReadConfigFile(cnf, item.name))
				return false;
		} else {
			cnf.Set(item.name, item.value ? item.value : "");
		}
	}
	return true;
}

/*
 * A fresh configuration (emptied: nothing of a previous root survives),
 * read as
 * the apt-get that will purge reads it (cli/run-apt.c): APT_CONFIG and this
 * system's apt.conf.d first, then its command line, config: the root's
 * items (-o Dir=ROOT ...), the caller's, the guard. So the proof and the
 * purge see the same configuration (a chroot's own apt.conf.d is read by
 * neither, unless APT_CONFIG points there). dpkg (which apt asks for the
 * foreign architectures) looks at the root's database through
 * DPkg::Options. apt's binary caches are used as apt-get uses them (see
 * use_apt_caches()).
 */
static bool
init_config(const struct kp_apt_config *config)
{
	Configuration *cnf = _config;

	cnf->Clear();
	if (!pkgInitConfig(*cnf))
		return false;
	as_apt_get(*cnf);
	if (!apply_items(*cnf, config))
		return false;
	use_apt_caches();
	if (!pkgInitSystem(*cnf, _system))
		return false;
	/* apt caches the architecture list in a static: recompute it. */
	APT::Configuration::getArchitectures(false);
	return true;
}

/*
 * apt must read the dpkg database the plan was made from. Without a root,
 * a Dir or Dir::State::status in APT_CONFIG's file or in apt.conf.d sends
 * apt (and apt-get, which reads the same files) to another one: refuse
 * rather than prove, and purge, against a database the plan never saw.
 */
static int
check_status_file(const std::string &root, struct kp_error *err)
{
	std::string ours = root + "/var/lib/dpkg/status";
	std::string apts = _config->FindFile("Dir::State::status");
	struct stat a, b;

	if (stat(ours.c_str(), &a) == 0 && stat(apts.c_str(), &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return 0;
	return kp__error_set(err, -EINVAL,
	                     "apt's configuration reads the dpkg "
	                     "database %s, not %s, which the plan is made from "
	                     "(Dir or Dir::State::status is set in APT_CONFIG, "
	                     "apt.conf.d or the options given to apt-get)",
	                     apts.c_str(), ours.c_str());
}

static int
open_cache(const char *root, const struct kp_apt_config *config,
           struct kp_apt **out, struct kp_error *err)
{
	std::unique_ptr<kp_apt> apt(new kp_apt);
	int r;

	if (apt_busy)
		return kp__error_set(err, -EBUSY,
		                     "apt's cache is already open; "
		                     "libapt-pkg allows one at a time");
	r = resolve_root(root, &apt->root, err);
	if (r < 0)
		return r;
	_error->Discard();
	if (!init_config(config))
		return drain(err, -EIO, "cannot read apt's configuration");
	r = check_status_file(apt->root, err);
	if (r < 0)
		return r;
	if (!apt->cache.BuildCaches(NULL, false) ||
	    !apt->cache.BuildPolicy(NULL) || _error->PendingError())
		return drain(err, -EIO, "cannot read apt's package lists");
	_error->Discard();
	apt_busy = true;
	*out = apt.release();
	return 0;
}

/**
 * Open apt's view of the system at root ("" or "/" for this one), with the
 * apt configuration the purge's apt-get reads there, config applied after
 * the configuration files (see init_config()). Takes no lock; as root, may
 * write apt's caches where apt-get would (use_apt_caches()).
 * Returns a handle for shim_close(), or NULL with err filled (-EBUSY when
 * another handle is open).
 */
static struct kp_apt *
shim_open(const char *root, const struct kp_apt_config *config,
          struct kp_error *err)
{
	struct kp_apt *apt = NULL;

	guarded(err, [&] { return open_cache(root, config, &apt, err); });
	return apt;
}

/** Close a handle (NULL is fine); another may be opened after. */
static void
shim_close(struct kp_apt *apt)
{
	if (apt == NULL)
		return;
	try {
		delete apt;
	} catch (...) {
	}
	_error->Discard();
	apt_busy = false;
}

/* ------------------------------------------------------ dependencies */

/* The installed packages satisfying one dependency (by name or Provides). */
static std::vector<Pkg>
installed_targets(const Dep &dep)
{
	std::unique_ptr<pkgCache::Version *[]> vers(dep.AllTargets());
	std::vector<Pkg> found;

	for (pkgCache::Version **v = vers.get(); *v != NULL; v++) {
		pkgCache::VerIterator ver(*dep.Cache(), *v);
		if (ver.ParentPkg().CurrentVer() == ver)
			found.push_back(ver.ParentPkg());
	}
	return found;
}

/* Each or-group of the installed version's critical dependencies. */
template <typename F>
static void
for_each_group(const Pkg &pkg, F fn)
{
	Dep start, end;

	if (pkg->CurrentVer == 0)
		return;
	for (Dep d = pkg.CurrentVer().DependsList(); !d.end();) {
		d.GlobOr(start, end);
		if (start.IsCritical())
			fn(start, d);
	}
}

/* ------------------------------------------------------------ purge */

/*
 * With APT::Get::Fix-Policy-Broken, apt-get installs what the installed
 * packages recommend before anything else (CacheFile::CheckDeps).
 */
static void
fix_policy(pkgDepCache &dc)
{
	if (!_config->FindB("APT::Get::Fix-Policy-Broken", false))
		return;
	for (Pkg pkg = dc.PkgBegin(); !pkg.end(); ++pkg)
		if (dc[pkg].NowPolicyBroken())
			dc.MarkInstall(pkg, true, 0, false, true);
}

/*
 * What `apt-get remove --purge` does before it shows its plan
 * (apt-private: CacheFile::CheckDeps, DoCacheManipulationFromCommandLine,
 * TryToRemove). Returns "" or why apt-get would refuse.
 */
static std::string
mark_purge(pkgDepCache &dc, const std::vector<Pkg> &set)
{
	/*
	 * As apt-get does: one mark-and-sweep when the group ends, not one
	 * over the whole cache after every MarkDelete() (quadratic: 2 s of a
	 * 2.2 s proof on 10,000 packages; see docs/benchmarks.md).
	 */
	pkgDepCache::ActionGroup group(dc);
	if (!pkgApplyStatus(dc))
		return "apt cannot handle the packages dpkg left half-done";
	fix_policy(dc);
	bool broken_before = dc.BrokenCount() != 0;
	pkgProblemResolver fix(&dc);
	for (const Pkg &pkg : set) {
		fix.Clear(pkg);
		fix.Protect(pkg);
		fix.Remove(pkg);
		if (pkg->CurrentState != pkgCache::State::NotInstalled)
			dc.MarkDelete(pkg, true);
	}
	/*
	 * apt-get also holds a named package that is not installed; the
	 * resolver's Protect() already keeps it from installing it.
	 * Without -f, apt-get refuses to work on an already broken system.
	 */
	if (broken_before && dc.BrokenCount() != 0)
		return "Unmet dependencies. Try 'apt --fix-broken install' "
		       "with no packages (or specify a solution).";
	/*
	 * apt's resolver only acts on broken packages (ResolveInternal): with
	 * none, it would change nothing, after scoring and sorting every
	 * package of the archive and a sweep. Skip it then.
	 */
	if (dc.BrokenCount() != 0 &&
	    (!fix.Resolve(true) || dc.BrokenCount() != 0))
		return "apt's resolver cannot satisfy the dependencies";
	return "";
}

/*
 * What apt-get's configuration adds after the resolver, as apt-get does it
 * (apt-private: DoAutomaticRemove, InstallPackages): autoremove marks
 * every automatically installed package nothing needs; with
 * APT::Get::AutomaticRemove::Kernels alone apt-get takes only the
 * unprotected kernels among them, which this over-approximates (the proof
 * can only grow stricter). A purge's own guard turns both off; another
 * caller's may not. Returns "" or why apt-get would refuse.
 */
static std::string
apt_get_effects(pkgDepCache &dc)
{
	bool autoremove = _config->FindB("APT::Get::AutomaticRemove", false) ||
	                  _config->FindB("APT::Get::AutomaticRemove::Kernels",
	                                 false);
	bool may_remove = _config->FindB("APT::Get::Remove", true);

	if (autoremove && !may_remove)
		return "We are not supposed to delete stuff, can't start "
		       "AutoRemover";
	if (autoremove) {
		dc.MarkAndSweep();
		for (Pkg pkg = dc.PkgBegin(); !pkg.end(); ++pkg)
			if (dc[pkg].Garbage && pkg->CurrentVer != 0 &&
			    pkg->CurrentState != pkgCache::State::ConfigFiles)
				dc.MarkDelete(pkg, true, 0, false);
	}
	if (dc.DelCount() != 0 && !may_remove)
		return "Packages need to be removed but remove is disabled";
	return "";
}

/* apt's own words for why it refuses, when it has any, else ours. */
static char *
refusal(const std::string &ours)
{
	std::string errors, warnings;

	pop_messages(&errors, &warnings);
	return xstrdup(errors.empty() ? ours : errors);
}

/* What pkg loses: the targets of each or-group whose installed ones all go. */
static std::vector<Pkg>
lost_targets(pkgDepCache &dc, const Pkg &pkg)
{
	std::vector<Pkg> lost;

	for_each_group(pkg, [&](Dep d, const Dep &stop) {
		std::vector<Pkg> group;
		for (; d != stop; ++d)
			for (const Pkg &t : installed_targets(d))
				group.push_back(t);
		if (std::all_of(group.begin(), group.end(),
		                [&](const Pkg &t) { return dc[t].Delete(); }))
			lost.insert(lost.end(), group.begin(), group.end());
	});
	return lost;
}

/*
 * The package of the set whose removal takes pkg with it, the nearest
 * one: directly, or through other removals (linux-generic ->
 * linux-image-generic -> linux-image-R).
 */
static std::string
removal_cause(pkgDepCache &dc, const Pkg &pkg, const std::vector<bool> &in_set)
{
	std::vector<bool> seen(dc.Head().PackageCount, false);
	std::deque<Pkg> queue(1, pkg);

	while (!queue.empty()) {
		std::vector<Pkg> lost = lost_targets(dc, queue.front());
		queue.pop_front();
		for (const Pkg &t : lost)
			if (in_set[t->ID])
				return t.FullName(true);
		for (const Pkg &t : lost)
			if (!seen[t->ID]) {
				seen[t->ID] = true;
				queue.push_back(t);
			}
	}
	return "";
}

/* Does the version apt would install of inst satisfy dependency d? */
static bool
satisfied_by(pkgDepCache &dc, const Dep &d, const Pkg &inst)
{
	if (d.TargetPkg() == inst)
		return true;
	for (auto prv = dc[inst].InstVerIter(dc).ProvidesList(); !prv.end();
	     ++prv)
		if (prv.ParentPkg() == d.TargetPkg())
			return true;
	return false;
}

/*
 * Why apt installs inst: the installed package whose or-group it fills
 * (dependent) and the package of the set that group loses (cause).
 */
static void
install_cause(pkgDepCache &dc, const Pkg &inst, const std::vector<bool> &in_set,
              std::string *cause, std::string *dependent)
{
	for (Pkg pkg = dc.PkgBegin(); !pkg.end() && cause->empty(); ++pkg) {
		for_each_group(pkg, [&](Dep d, const Dep &stop) {
			bool fills = false;
			std::string lost;
			for (; d != stop; ++d) {
				fills = fills || satisfied_by(dc, d, inst);
				for (const Pkg &t : installed_targets(d))
					if (in_set[t->ID] && lost.empty())
						lost = t.FullName(true);
			}
			/* The first dependent, unless a later one names a cause. */
			if (fills && cause->empty() &&
			    (dependent->empty() || !lost.empty())) {
				*dependent = pkg.FullName(true);
				*cause = lost;
			}
		});
	}
}

/*
 * Append a change for pkg to *v: the slot is made and counted first, then
 * filled, so every string belongs to the array as soon as it exists and a
 * bad_alloc half-way leaves nothing that shim_sim_clear() would not free.
 */
static void
push_change(struct kp_apt_change **v, size_t *n, const Pkg &pkg,
            const std::string &cause, const std::string &dep)
{
	void *grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (grown == NULL)
		throw std::bad_alloc();
	*v = static_cast<struct kp_apt_change *>(grown);
	struct kp_apt_change *c = &(*v)[(*n)++];
	c->package = c->cause = c->dependent = NULL;
	c->package = xstrdup(pkg.FullName(true));
	if (!cause.empty())
		c->cause = xstrdup(cause);
	if (!dep.empty())
		c->dependent = xstrdup(dep);
}

/* Report the marks apt made, by package name, into out. */
static void
collect_changes(pkgDepCache &dc, const std::vector<bool> &in_set,
                struct kp_apt_sim *out)
{
	std::map<std::string, Pkg> removed, installed;

	for (Pkg pkg = dc.PkgBegin(); !pkg.end(); ++pkg) {
		if (dc[pkg].Delete() && !in_set[pkg->ID])
			removed.emplace(pkg.FullName(true), pkg);
		else if (dc[pkg].Install())
			installed.emplace(pkg.FullName(true), pkg);
	}
	for (auto &r : removed) {
		std::string cause = removal_cause(dc, r.second, in_set);
		push_change(&out->removals, &out->n_removals, r.second, cause,
		            "");
	}
	for (auto &i : installed) {
		std::string cause, dependent;
		install_cause(dc, i.second, in_set, &cause, &dependent);
		push_change(&out->installs, &out->n_installs, i.second, cause,
		            dependent);
	}
}

/* "name" or "name:arch"; a bare name of a foreign-only package too. */
static Pkg
find_package(pkgDepCache &dc, const char *name)
{
	Pkg pkg = dc.FindPkg(name);

	if (pkg.end() && strchr(name, ':') == NULL) {
		pkgCache::GrpIterator grp = dc.FindGrp(name);
		if (!grp.end())
			pkg = grp.FindPreferredPkg(true);
	}
	return pkg;
}

/*
 * A depcache whose marks can be undone: its state after Init() is kept,
 * and put back instead of computing it again (Init() computes every
 * package's candidate and every dependency's state: most of a round of
 * the proof on a real archive). Nothing else in a depcache changes with
 * marks: the cache and the policy stay as they are.
 */
class kp_depcache : public pkgDepCache
{
	std::vector<StateCache> pkg_state;
	std::vector<unsigned char> dep_state;
	signed long long usr_size;
	unsigned long long download_size;
	unsigned long counts[6];

      public:
	kp_depcache(pkgCache *cache, Policy *policy)
	    : pkgDepCache(cache, policy), usr_size(0), download_size(0),
	      counts()
	{
	}

	bool has_snapshot() const
	{
		return !pkg_state.empty();
	}

	/* Keep the state as it is now (call it right after Init()). */
	void snapshot()
	{
		pkg_state.assign(PkgState, PkgState + Head().PackageCount);
		dep_state.assign(DepState, DepState + Head().DependsCount);
		usr_size = iUsrSize;
		download_size = iDownloadSize;
		unsigned long now[6] = { iInstCount,         iDelCount,
			                 iKeepCount,         iBrokenCount,
			                 iPolicyBrokenCount, iBadCount };
		std::copy(now, now + 6, counts);
	}

	/* Undo every mark made since snapshot(). */
	void restore()
	{
		std::copy(pkg_state.begin(), pkg_state.end(), PkgState);
		std::copy(dep_state.begin(), dep_state.end(), DepState);
		iUsrSize = usr_size;
		iDownloadSize = download_size;
		iInstCount = counts[0];
		iDelCount = counts[1];
		iKeepCount = counts[2];
		iBrokenCount = counts[3];
		iPolicyBrokenCount = counts[4];
		iBadCount = counts[5];
	}
};

/*
 * The depcache of the system as it is now, marks free for us to make:
 * built once per handle; the pre-flight and the first round share it.
 * Most proofs take one round, so the copy of its state (a few MiB on a
 * real archive: more than apt-get holds) is made only when a second
 * round needs the marks undone: that round computes the state again, and
 * each later one puts the copy back. NULL (apt's error pending) if the
 * depcache cannot be built.
 */
static pkgDepCache *
clean_depcache(struct kp_apt *apt)
{
	if (!apt->dc) {
		std::unique_ptr<kp_depcache> dc(new kp_depcache(
		        apt->cache.GetPkgCache(), apt->cache.GetPolicy()));
		if (!dc->Init(NULL))
			return NULL;
		apt->dc = std::move(dc);
	} else if (apt->dc_marked && apt->dc->has_snapshot()) {
		apt->dc->restore();
	} else if (apt->dc_marked) {
		if (!apt->dc->Init(NULL))
			return NULL;
		apt->dc->snapshot();
	}
	apt->dc_marked = false;
	return apt->dc.get();
}

static int
simulate(struct kp_apt *apt, const char *const *names, size_t n,
         struct kp_apt_sim *out, struct kp_error *err)
{
	pkgDepCache *dc = clean_depcache(apt);
	std::vector<Pkg> set;

	if (dc == NULL)
		return drain(err, -EIO, "apt cannot compute dependencies");
	apt->dc_marked = true;
	std::vector<bool> in_set(dc->Head().PackageCount, false);
	for (size_t i = 0; i < n; i++) {
		Pkg pkg = find_package(*dc, names[i]);
		if (pkg.end() || pkg.VersionList().end())
			return kp__error_set(err, -ENOENT,
			                     "apt knows no package "
			                     "named '%s'",
			                     names[i]);
		set.push_back(pkg);
		in_set[pkg->ID] = true;
	}
	std::string problem = mark_purge(*dc, set);
	if (problem.empty())
		problem = apt_get_effects(*dc);
	if (!problem.empty())
		out->problem = refusal(problem);
	else
		collect_changes(*dc, in_set, out);
	_error->Discard();
	return 0;
}

/**
 * Simulate `apt-get remove --purge NAMES` with apt's own depcache and
 * problem resolver, marking exactly as apt-get does; nothing runs, nothing
 * is locked. Names may carry ":arch". Fills out (cleared first; free it
 * with shim_sim_clear()) with every package apt would remove besides
 * names and every one it would install or upgrade; or, when apt would
 * refuse, only with its reason (out->problem). Returns 0, or a negative
 * code (-ENOENT for a name apt does not know).
 */
static int
shim_simulate_purge(struct kp_apt *apt, const char *const *names, size_t n,
                    struct kp_apt_sim *out, struct kp_error *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = guarded(err, [&] { return simulate(apt, names, n, out, err); });
	if (r < 0)
		shim_sim_clear(out);
	return r;
}

/** Free what a simulation filled in, leaving sim empty. */
static void
shim_sim_clear(struct kp_apt_sim *sim)
{
	for (size_t i = 0; i < sim->n_removals; i++) {
		free(sim->removals[i].package);
		free(sim->removals[i].cause);
		free(sim->removals[i].dependent);
	}
	for (size_t i = 0; i < sim->n_installs; i++) {
		free(sim->installs[i].package);
		free(sim->installs[i].cause);
		free(sim->installs[i].dependent);
	}
	free(sim->removals);
	free(sim->installs);
	free(sim->problem);
	memset(sim, 0, sizeof(*sim));
}

/* --------------------------------------------------------- problems */

/* Debian's spelling of a version relation (apt prints "<" for "<<"). */
static const char *
relation_op(const Dep &d)
{
	switch (d->CompareOp & ~pkgCache::Dep::Or) {
	case pkgCache::Dep::Less:
		return "<<";
	case pkgCache::Dep::Greater:
		return ">>";
	default:
		return d.CompType();
	}
}

/* "X (>= 1) | Y": an or-group as the Depends field would write it. */
static std::string
describe_group(Dep d, const Dep &stop)
{
	std::string s;

	for (; d != stop; ++d) {
		s += (s.empty() ? "" : " | ") + d.TargetPkg().FullName(true);
		if (d.TargetVer() != NULL)
			s += std::string(" (") + relation_op(d) + " " +
			     d.TargetVer() + ")";
	}
	return s;
}

static const char *
relation(const Dep &d)
{
	switch (d->Type) {
	case pkgCache::Dep::PreDepends:
		return "pre-depends on";
	case pkgCache::Dep::Conflicts:
		return "conflicts with";
	case pkgCache::Dep::DpkgBreaks:
		return "breaks";
	default:
		return "depends on";
	}
}

static std::string
name_version(const Pkg &pkg)
{
	return pkg.FullName(true) + " " + pkg.CurrentVer().VerStr();
}

/* One sentence for an or-group that the installed packages break. */
static std::string
describe_unmet(const Pkg &pkg, const Dep &start, const Dep &stop)
{
	std::string s = pkg.FullName(true) + " " + relation(start) + " " +
	                describe_group(start, stop);
	std::vector<Pkg> found = installed_targets(start);
	Pkg target = start.TargetPkg();
	Dep next = start;
	bool single = ++next == stop;

	if (start.IsNegative() && !found.empty())
		return s + ", but " + name_version(found[0]) + " is installed";
	if (single && target->CurrentVer != 0)
		return s + ", but " + name_version(target) + " is installed";
	if (single && found.empty())
		return s + ", which is not installed";
	return s + ", which no installed package satisfies";
}

/* A problem record, its strings owned until to_records() hands them on. */
struct problem {
	enum kp_problem_kind kind;
	std::string package;
	std::string text;
	bool operator<(const problem &o) const
	{
		return text < o.text;
	}
};

/* What dpkg left unfinished about pkg: a kind and its words, or false. */
static bool
state_problem(const Pkg &pkg, enum kp_problem_kind *kind, const char **words)
{
	switch (pkg->CurrentState) {
	case pkgCache::State::UnPacked:
		*kind = KP_PROBLEM_UNPACKED;
		*words = "unpacked but not configured";
		return true;
	case pkgCache::State::HalfConfigured:
		*kind = KP_PROBLEM_HALF_CONFIGURED;
		*words = "half-configured";
		return true;
	case pkgCache::State::HalfInstalled:
		*kind = KP_PROBLEM_HALF_INSTALLED;
		*words = "half-installed";
		return true;
	case pkgCache::State::TriggersAwaited:
		*kind = KP_PROBLEM_TRIGGERS;
		*words = "awaiting trigger processing";
		return true;
	case pkgCache::State::TriggersPending:
		*kind = KP_PROBLEM_TRIGGERS;
		*words = "waiting for its triggers to run";
		return true;
	default:
		return false;
	}
}

/* What is wrong with one package, in apt's view of the system now. */
static void
package_problems(pkgDepCache &dc, const Pkg &pkg, std::vector<problem> &out)
{
	std::string name = pkg.FullName(true);
	enum kp_problem_kind kind;
	const char *words;

	if (state_problem(pkg, &kind, &words))
		out.push_back({ kind, name, name + " is " + words });
	if (pkg->InstState == pkgCache::State::ReInstReq ||
	    pkg->InstState == pkgCache::State::HoldReInstReq)
		out.push_back(
		        { KP_PROBLEM_REINSTREQ, name,
		          name + " must be "
		                 "reinstalled (dpkg marked it reinstreq)" });
	for_each_group(pkg, [&](Dep d, const Dep &stop) {
		bool ok = false;
		for (Dep m = d; m != stop && !ok; ++m)
			ok = (dc[m] & pkgDepCache::DepNow) != 0;
		if (!ok)
			out.push_back({ KP_PROBLEM_UNMET, name,
			                describe_unmet(pkg, d, stop) });
	});
}

static void shim_problems_free(struct kp_problem *v, size_t n);

/* A malloc'ed array of records (shim_problems_free() frees it). */
static struct kp_problem *
to_records(const std::vector<problem> &found)
{
	size_t n = found.size();
	struct kp_problem *v = static_cast<struct kp_problem *>(
	        calloc(n + 1, sizeof(struct kp_problem)));

	if (v == NULL)
		throw std::bad_alloc();
	for (size_t i = 0; i < n; i++) {
		v[i].kind = found[i].kind;
		v[i].package = strdup(found[i].package.c_str());
		v[i].text = strdup(found[i].text.c_str());
		if (v[i].package == NULL || v[i].text == NULL) {
			shim_problems_free(v, i + 1);
			throw std::bad_alloc();
		}
	}
	return v;
}

static int
problems(struct kp_apt *apt, struct kp_problem **out, struct kp_error *err)
{
	pkgDepCache *dc = clean_depcache(apt);
	std::vector<problem> found;

	if (dc == NULL)
		return drain(err, -EIO, "apt cannot compute dependencies");
	for (Pkg pkg = dc->PkgBegin(); !pkg.end(); ++pkg)
		package_problems(*dc, pkg, found);
	_error->Discard();
	std::sort(found.begin(), found.end());
	*out = found.empty() ? NULL : to_records(found);
	return static_cast<int>(found.size());
}

/**
 * apt's view of what is broken now: one record per problem (unmet
 * dependencies, packages dpkg left half-installed, unpacked,
 * half-configured, waiting for triggers or to be reinstalled), sorted by
 * text. Fills *problems with an array for shim_problems_free(), NULL when
 * there is none. Returns the number of problems (0: healthy) or a
 * negative code.
 */
static int
shim_problems(struct kp_apt *apt, struct kp_problem **problems_out,
              struct kp_error *err)
{
	*problems_out = NULL;
	return guarded(err, [&] { return problems(apt, problems_out, err); });
}

/** Free n records from this file (NULL is fine). */
static void
shim_problems_free(struct kp_problem *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++) {
		free(v[i].package);
		free(v[i].text);
	}
	free(v);
}

/* ---------------------------------------------------------- kernels */

/*
 * apt's kernel protection, as libapt-pkg 2.4.5 to 2.6 decides it
 * (apt-pkg/algorithms.cc, GetProtectedKernelsRegex): the kernels are the
 * installed providers of "$kernel", grouped by the image's version; the
 * newest version and the booted kernel's are kept, plus the second newest
 * when those are one; every package named PATTERN-UNAME for a kept uname
 * and each pattern of APT::VersionedKernelPackages is protected, and so,
 * always, is PATTERN-BOOTED. libapt-pkg exports this only as
 * GetProtectedKernelsFilter(), which reads the booted release with
 * uname(2) and has no setting to override it (SOURCE_DATE_EPOCH merely
 * turns it off): under --root or in a container that is the wrong kernel.
 * So the rule is applied here, on apt's data, with the caller's release.
 */
struct by_version {
	pkgCache *cache;
	bool operator()(const std::string &a, const std::string &b) const
	{
		return cache->VS->CmpVersion(a, b) < 0;
	}
};
typedef std::map<std::string, std::vector<std::string>, by_version> kernel_map;

/* The uname in an image package's name, "" if apt sees no kernel in it. */
static std::string
kernel_uname(const std::string &name)
{
	static const char *const prefixes[] = {
		"linux-image-",
		"kfreebsd-image-",
		"gnumach-image-",
	};

	for (const char *prefix : prefixes) {
		size_t len = strlen(prefix), digits;
		if (name.compare(0, len, prefix) != 0 ||
		    name.size() < len + 2 ||
		    APT::String::Endswith(name, "-dbg") ||
		    APT::String::Endswith(name, "-dbgsym"))
			continue;
		digits = name.find_first_not_of("0123456789", len);
		if (digits > len && digits != std::string::npos &&
		    name[digits] == '.')
			return name.substr(len);
	}
	return "";
}

/* apt's installed kernels (unames by the image's version). */
static kernel_map
installed_kernels(pkgCache *cache)
{
	kernel_map kernels(by_version{ cache });
	Pkg virt = cache->FindPkg("$kernel", "any");

	if (virt.end())
		return kernels;
	for (auto prv = virt.ProvidesList(); !prv.end(); ++prv) {
		Pkg pkg = prv.OwnerPkg();
		std::string uname = kernel_uname(pkg.Name());
		if (pkg->CurrentVer != 0 && !uname.empty())
			kernels[pkg.CurrentVer().VerStr()].push_back(uname);
	}
	return kernels;
}

/* The versions apt keeps: the running kernel's, the newest, then the next. */
static std::set<std::string>
kept_versions(const kernel_map &kernels, const std::string &running)
{
	std::set<std::string> keep;
	auto newest = kernels.rbegin();

	for (auto &k : kernels)
		if (std::count(k.second.begin(), k.second.end(), running) != 0)
			keep.insert(k.first);
	keep.insert(newest->first);
	if (keep.size() < 2 && std::next(newest) != kernels.rend())
		keep.insert(std::next(newest)->first);
	return keep;
}

/* Escape what a release may hold that a POSIX extended regex would read. */
static std::string
escape(const std::string &s)
{
	std::string out;

	for (char c : s) {
		if (c == '.' || c == '+')
			out += '\\';
		out += c;
	}
	return out;
}

static std::string
protection_regex(const kernel_map &kernels, const std::set<std::string> &keep,
                 const std::string &running)
{
	std::string re;

	for (const std::string &pat :
	     _config->FindVector("APT::VersionedKernelPackages")) {
		if (!running.empty())
			re += "|^" + pat + "-" + escape(running) + "$";
		for (auto &k : kernels)
			for (const std::string &uname : k.second)
				if (keep.count(k.first) != 0)
					re += "|^" + pat + "-" + escape(uname) +
					      "$";
	}
	return re.empty() ? re : re.substr(1);
}

/* The installed packages whose names match re, as apt matches names. */
static std::vector<std::string>
installed_matching(pkgCache *cache, const std::string &re)
{
	std::vector<std::string> names;

	if (re.empty())
		return names;
	APT::CacheFilter::PackageNameMatchesRegEx match(re);
	for (Pkg pkg = cache->PkgBegin(); !pkg.end(); ++pkg)
		if (pkg->CurrentVer != 0 && match(pkg))
			names.push_back(pkg.FullName(true));
	std::sort(names.begin(), names.end());
	return names;
}

/*
 * The installed packages apt's kernel protection keeps, with running as
 * the booted release. Like apt: no installed kernel, no protection, not
 * even the booted.
 */
static std::vector<std::string>
protected_kernels(struct kp_apt *apt, const char *running)
{
	pkgCache *cache = apt->cache.GetPkgCache();
	kernel_map kernels = installed_kernels(cache);
	std::string booted = running != NULL ? running : "";
	std::string re;

	if (_config->FindB("APT::Protect-Kernels", true) && !kernels.empty())
		re = protection_regex(kernels, kept_versions(kernels, booted),
		                      booted);
	return installed_matching(cache, re);
}

static int
kernel_protected(struct kp_apt *apt, const char *running, char ***out,
                 struct kp_error *err)
{
	std::vector<std::string> names = protected_kernels(apt, running);

	if (_error->PendingError())
		return drain(err, -EINVAL,
		             "apt's APT::VersionedKernelPackages "
		             "patterns are not valid");
	_error->Discard();
	*out = to_strv(names);
	return static_cast<int>(names.size());
}

/**
 * The installed packages apt's autoremove never removes as kernels, with
 * running (NULL: none) as the booted release, and the root's own
 * APT::VersionedKernelPackages (none without them: apt then protects
 * nothing). Fills *names with a sorted NULL-terminated array for
 * shim_strv_free(). Returns the count or a negative code.
 */
static int
shim_kernel_protected(struct kp_apt *apt, const char *running, char ***names,
                      struct kp_error *err)
{
	*names = NULL;
	return guarded(err, [&] {
		return kernel_protected(apt, running, names, err);
	});
}

/* -------------------------------------------------------- autoremove */

/*
 * apt's root set for autoremove: what APT::NeverAutoRemove names (apt's
 * own matcher) and the kernels its kernel protection keeps, computed
 * above with the caller's running release instead of uname(2).
 */
class kp_root_set : public pkgDepCache::DefaultRootSetFunc
{
	std::set<std::string> kernels;

      public:
	explicit kp_root_set(const std::vector<std::string> &k)
	    : kernels(k.begin(), k.end())
	{
	}
	bool InRootSet(const Pkg &pkg) override
	{
		return DefaultRootSetFunc::InRootSet(pkg) ||
		       (!pkg.end() && kernels.count(pkg.FullName(true)) != 0);
	}
};

/*
 * What `apt-get autoremove` does (apt-private, DoAutomaticRemove): mark
 * and sweep, then remove every garbage package that is installed, not as
 * asked by the user (so a held one stays).
 */
static void
mark_autoremove(pkgDepCache &dc, const std::vector<std::string> &kernels)
{
	kp_root_set roots(kernels);

	dc.MarkAndSweep(roots);
	pkgDepCache::ActionGroup group(dc);
	for (Pkg pkg = dc.PkgBegin(); !pkg.end(); ++pkg)
		if (dc[pkg].Garbage && pkg->CurrentVer != 0 &&
		    pkg->CurrentState != pkgCache::State::ConfigFiles)
			dc.MarkDelete(pkg, false, 0, false);
}

static int
autoremove(struct kp_apt *apt, const char *running, const char *const *names,
           size_t n, struct kp_apt_mark *marks, char ***patterns,
           struct kp_error *err)
{
	std::vector<std::string> kernels = protected_kernels(apt, running);
	pkgDepCache *dc;

	if (_error->PendingError())
		return drain(err, -EINVAL,
		             "apt's APT::VersionedKernelPackages "
		             "patterns are not valid");
	if ((dc = clean_depcache(apt)) == NULL)
		return drain(err, -EIO, "apt cannot compute dependencies");
	apt->dc_marked = true;
	mark_autoremove(*dc, kernels);
	for (size_t i = 0; i < n; i++) {
		Pkg pkg = find_package(*dc, names[i]);
		if (pkg.end() || pkg->CurrentVer == 0)
			continue;
		marks[i].known = true;
		marks[i].automatic = ((*dc)[pkg].Flags &
		                      pkgCache::Flag::Auto) != 0;
		marks[i].removed = (*dc)[pkg].Delete();
	}
	_error->Discard();
	*patterns = to_strv(_config->FindVector("APT::NeverAutoRemove"));
	return 0;
}

/**
 * apt's marks of names and what `apt-get autoremove` would do to each
 * (marks: n entries, zeroed first), with running (NULL: none) as the
 * booted release; *patterns gets the APT::NeverAutoRemove patterns, a
 * NULL-terminated array for shim_strv_free(). Returns 0 or a negative
 * code.
 */
static int
shim_autoremove(struct kp_apt *apt, const char *running,
                const char *const *names, size_t n, struct kp_apt_mark *marks,
                char ***patterns, struct kp_error *err)
{
	*patterns = NULL;
	memset(marks, 0, n * sizeof(*marks));
	return guarded(err, [&] {
		return autoremove(apt, running, names, n, marks, patterns, err);
	});
}

/* ----------------------------------------------------------- module */

extern "C" {
__attribute__((visibility(
        "default"))) extern const struct kp_apt_module KP_APT_MODULE_TABLE;
const struct kp_apt_module KP_APT_MODULE_TABLE = {
	KP_APT_MODULE_ABI,
	PACKAGE_VERSION,
	sizeof(struct kp_error),
	shim_open,
	shim_close,
	shim_simulate_purge,
	shim_sim_clear,
	shim_problems,
	shim_problems_free,
	shim_kernel_protected,
	shim_strv_free,
	shim_autoremove,
};
}
