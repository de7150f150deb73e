// SPDX-License-Identifier: GPL-2.0
/*
 * The members of a mount (docs/devices.md): the devices it maps, each
 * claimed so that no other mount or member uses it, published once
 * complete for lockless readers (iomap, faults) and freed at unmount.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/dax.h>
#include <linux/slab.h>
#include <linux/libnvdimm.h>
#include <linux/uaccess.h>
#include "famfs.h"

/*
 * Devices used by famfs mounts, by dev_t. fs_dax_get_by_bdev() would catch
 * a second pmem user, but the module's own devdax dax_device has no holder,
 * so one list covers both backends.
 */
static DEFINE_MUTEX(famfs_claims_lock);
static LIST_HEAD(famfs_claims);

struct famfs_claim {
	struct list_head list;
	dev_t devt;
};

int famfs_claim_dev(dev_t devt)
{
	struct famfs_claim *claim;
	int rc = 0;

	mutex_lock(&famfs_claims_lock);
	list_for_each_entry(claim, &famfs_claims, list) {
		if (claim->devt == devt) {
			rc = -EBUSY;
			goto out;
		}
	}
	claim = kzalloc(sizeof(*claim), GFP_KERNEL);
	if (!claim) {
		rc = -ENOMEM;
		goto out;
	}
	claim->devt = devt;
	list_add(&claim->list, &famfs_claims);
out:
	mutex_unlock(&famfs_claims_lock);
	return rc;
}

static void famfs_release_dev(dev_t devt)
{
	struct famfs_claim *claim;

	mutex_lock(&famfs_claims_lock);
	list_for_each_entry(claim, &famfs_claims, list) {
		if (claim->devt == devt) {
			list_del(&claim->list);
			kfree(claim);
			break;
		}
	}
	mutex_unlock(&famfs_claims_lock);
}

/* Copy @len bytes (at most a page) from offset 0 of the device. */
int famfs_dev_read_head(struct famfs_dev *fdev, void *out, size_t len)
{
	unsigned long left = len;
	void *kaddr;
	long avail;
	int id;

	id = dax_read_lock();
	avail = dax_direct_access(fdev->dax_dev, fdev->start_off >> PAGE_SHIFT,
				  1, DAX_ACCESS, &kaddr, NULL);
	if (avail > 0) {
		/*
		 * Another host's mkfs may be newer than the lines this CPU
		 * has cached, and a poisoned line must fail the caller, not
		 * the machine.
		 */
		arch_invalidate_pmem(kaddr, len);
		left = copy_mc_to_kernel(out, kaddr, len);
	}
	dax_read_unlock(id);
	return avail > 0 && !left ? 0 : -EIO;
}

/* The member whose dax_device reported a failure; NULL if none is. */
struct famfs_member *famfs_member_find(struct famfs_sb_info *sbi,
				       const struct dax_device *dax_dev)
{
	struct famfs_member *m;
	u32 i;

	for (i = 0; i < FAMFS_IOC_MAX_MEMBERS; i++) {
		m = famfs_member(sbi, i);
		if (m && m->dev.dax_dev == dax_dev)
			return m;
	}
	return NULL;
}

/*
 * Detach the member's device from the mount, under famfs_teardown_lock:
 * at unmount, or when MEMBER_ADD refused it before publishing it.
 */
void famfs_member_close(struct famfs_member *m)
{
	lockdep_assert_held(&famfs_teardown_lock);
	if (m->dev.close)
		m->dev.close(&m->dev);
}

/*
 * Then, with the lock released (struct famfs_dev's put), release the
 * device and give up its claim.
 */
void famfs_member_put(struct famfs_member *m)
{
	lockdep_assert_not_held(&famfs_teardown_lock);
	if (m->dev.put)
		m->dev.put(&m->dev);
	if (m->devt)
		famfs_release_dev(m->devt);
	kfree(m);
}

/* Unmount: the inodes, and their dax entries, are gone already. */
void famfs_members_close(struct famfs_sb_info *sbi)
{
	u32 i;

	for (i = 0; i < FAMFS_IOC_MAX_MEMBERS; i++)
		if (sbi->members[i])
			famfs_member_close(sbi->members[i]);
}

void famfs_members_put(struct famfs_sb_info *sbi)
{
	u32 i;

	for (i = 0; i < FAMFS_IOC_MAX_MEMBERS; i++) {
		if (sbi->members[i])
			famfs_member_put(sbi->members[i]);
		sbi->members[i] = NULL;
	}
}

/* A member fully set up becomes visible to lockless readers at once. */
void famfs_member_publish(struct famfs_sb_info *sbi, struct famfs_member *m)
{
	smp_store_release(&sbi->members[m->index], m);
}
