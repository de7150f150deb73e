// SPDX-License-Identifier: GPL-2.0
/*
 * famfs mount: find the DAX device named by the mount source, check its
 * superblock, and set up the root directory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/statfs.h>
#include <linux/crc32c.h>
#include <linux/dax.h>
#include <linux/log2.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/libnvdimm.h>
#include "famfs.h"
#include "famfs/format.h"

/*
 * Devices mounted by famfs, by dev_t. fs_dax_get_by_bdev() would catch a
 * second pmem mount, but the module's own devdax dax_device has no holder,
 * so one list covers both backends.
 */
static DEFINE_MUTEX(famfs_claims_lock);
DEFINE_MUTEX(famfs_teardown_lock);
static LIST_HEAD(famfs_claims);

struct famfs_claim {
	struct list_head list;
	dev_t devt;
};

static int famfs_claim_dev(dev_t devt)
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

int famfs_mount_error(struct fs_context *fc, int err, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	/* Without a context log (mount(2)), errorfc() prints to the kernel log. */
	if (fc->log.log)
		pr_err("%pV\n", &vaf);
	errorfc(fc, "%pV", &vaf);
	va_end(args);
	return err;
}

void famfs_dev_failed(struct super_block *sb, const char *why)
{
	if (!test_and_set_bit(FAMFS_SB_FAILED, &FAMFS_SB(sb)->flags))
		pr_err("%s: %s: all I/O now fails until unmount\n",
		       sb->s_id, why);
	famfs_drop_mappings(sb);
}

/*
 * FAMFS_IOC_SHUTDOWN: the same state, entered on purpose, so a warning
 * rather than an error. Every call drops the mappings, so that none is
 * left when any call returns, even one that raced another.
 */
void famfs_shutdown(struct super_block *sb)
{
	if (!test_and_set_bit(FAMFS_SB_FAILED, &FAMFS_SB(sb)->flags))
		pr_warn("%s: shut down: all I/O now fails until unmount\n",
			sb->s_id);
	famfs_drop_mappings(sb);
}

static int famfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct famfs_sb_info *sbi = FAMFS_SB(dentry->d_sb);
	u64 used = sbi->log_offset + sbi->log_len +
		   max(atomic64_read(&sbi->mapped_bytes),
		       atomic64_read(&sbi->logged_bytes));

	buf->f_type = FAMFS_SUPER_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_frsize = PAGE_SIZE;
	buf->f_blocks = sbi->dev_size >> PAGE_SHIFT;
	buf->f_bfree = used < sbi->dev_size ?
		       (sbi->dev_size - used) >> PAGE_SHIFT : 0;
	buf->f_bavail = buf->f_bfree;
	buf->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations famfs_super_ops = {
	.statfs		= famfs_statfs,
	.drop_inode	= generic_delete_inode,
	.evict_inode	= famfs_evict_inode,
};

/* Copy the on-media superblock out of the first page of the device. */
static int famfs_read_sb(struct famfs_dev *fdev, struct famfs_superblock *out)
{
	unsigned long left = sizeof(*out);
	void *kaddr;
	long avail;
	int id;

	id = dax_read_lock();
	avail = dax_direct_access(fdev->dax_dev, fdev->start_off >> PAGE_SHIFT,
				  1, DAX_ACCESS, &kaddr, NULL);
	if (avail > 0) {
		/*
		 * Another host's mkfs may be newer than the lines this CPU
		 * has cached, and a poisoned line must fail the mount, not
		 * the machine.
		 */
		arch_invalidate_pmem(kaddr, sizeof(*out));
		left = copy_mc_to_kernel(out, kaddr, sizeof(*out));
	}
	dax_read_unlock(id);
	return avail > 0 && !left ? 0 : -EIO;
}

/* Log areas: one before format 1.3, then what the superblock says (1 or 2). */
static u32 famfs_log_areas(const struct famfs_superblock *fsb)
{
	if (le16_to_cpu(fsb->version_minor) < FAMFS_VERSION_MINOR_COMPACT)
		return 1;
	return le32_to_cpu(fsb->log_areas);
}

static int famfs_check_geometry(const struct famfs_superblock *fsb,
				u64 dev_size, struct fs_context *fc)
{
	u64 size = le64_to_cpu(fsb->dev_size);
	u64 log_off = le64_to_cpu(fsb->log_offset);
	u64 log_len = le64_to_cpu(fsb->log_len);
	u32 areas = famfs_log_areas(fsb);

	if (le32_to_cpu(fsb->alloc_unit) != FAMFS_ALLOC_UNIT ||
	    le32_to_cpu(fsb->ndevices) != 1 || fsb->flags ||
	    log_off != FAMFS_LOG_OFFSET)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: unsupported layout",
					 fc->source);
	if (!is_power_of_2(log_len) || log_len < FAMFS_LOG_LEN_MIN ||
	    log_len > FAMFS_LOG_LEN_MAX)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: bad log length %llu",
					 fc->source, log_len);
	if (areas < 1 || areas > FAMFS_LOG_AREAS)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: bad number of log areas %u",
					 fc->source, areas);
	if (size > dev_size || size < log_off + areas * log_len + FAMFS_ALLOC_UNIT)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: size %llu does not fit a device of %llu bytes",
					 fc->source, size, dev_size);
	return 0;
}

/*
 * Bytes 120..135 (log_areas, logrec_offset) were reserved before format
 * 1.3; from 1.3, one log area has no active-log record.
 */
static bool famfs_log_area_bytes_bad(const struct famfs_superblock *fsb)
{
	if (le16_to_cpu(fsb->version_minor) < FAMFS_VERSION_MINOR_COMPACT)
		return fsb->log_areas || fsb->logrec_offset;
	return le32_to_cpu(fsb->log_areas) == 1 && fsb->logrec_offset;
}

/*
 * Magic, CRC and version, in the order that makes the error most telling. A
 * newer minor version may give meaning to reserved bytes; this code ignores
 * them then, and requires them to be zero otherwise.
 */
static int famfs_check_sb_header(const struct famfs_superblock *fsb,
				 struct fs_context *fc)
{
	u32 crc;

	if (le64_to_cpu(fsb->magic) != FAMFS_SB_MAGIC)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: no famfs superblock (bad magic)",
					 fc->source);
	crc = ~crc32c(~0U, fsb, offsetof(struct famfs_superblock, crc));
	if (crc != le32_to_cpu(fsb->crc))
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock CRC mismatch",
					 fc->source);
	if (le16_to_cpu(fsb->version_major) != FAMFS_VERSION_MAJOR)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock version %u not supported",
					 fc->source, le16_to_cpu(fsb->version_major));
	if (le16_to_cpu(fsb->version_minor) <= FAMFS_VERSION_MINOR &&
	    (memchr_inv(fsb->reserved, 0, sizeof(fsb->reserved)) || fsb->reserved0 ||
	     famfs_log_area_bytes_bad(fsb)))
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: reserved bytes are not zero",
					 fc->source);
	return 0;
}

static int famfs_check_sb(struct famfs_sb_info *sbi, struct fs_context *fc)
{
	struct famfs_superblock fsb;
	int rc;

	rc = famfs_read_sb(&sbi->dev, &fsb);
	if (rc)
		return famfs_mount_error(fc, rc, "%s: cannot read the superblock",
					 fc->source);
	rc = famfs_check_sb_header(&fsb, fc);
	if (!rc)
		rc = famfs_check_geometry(&fsb, sbi->dev.size, fc);
	if (rc)
		return rc;
	sbi->dev_size = le64_to_cpu(fsb.dev_size);
	sbi->log_offset = le64_to_cpu(fsb.log_offset);
	/* Every log area is metadata: the log file maps them all. */
	sbi->log_len = le64_to_cpu(fsb.log_len) * famfs_log_areas(&fsb);
	sbi->alloc_unit = le32_to_cpu(fsb.alloc_unit);
	return 0;
}

/* Resolve the mount source to a device inode, then open it by dev_t. */
static int famfs_open_dev(struct super_block *sb, struct fs_context *fc)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);
	struct inode *inode;
	struct path path;
	int rc;

	if (!fc->source)
		return famfs_mount_error(fc, -EINVAL, "no device given");
	rc = kern_path(fc->source, LOOKUP_FOLLOW, &path);
	if (rc)
		return famfs_mount_error(fc, rc, "cannot find %s", fc->source);
	inode = d_backing_inode(path.dentry);
	if (path.mnt->mnt_flags & MNT_NODEV)
		rc = famfs_mount_error(fc, -EACCES, "%s is on a nodev mount",
				       fc->source);
	else if (!S_ISBLK(inode->i_mode) && !S_ISCHR(inode->i_mode))
		rc = famfs_mount_error(fc, -ENOTBLK, "%s is not a device",
				       fc->source);
	else
		rc = famfs_claim_dev(inode->i_rdev);
	if (rc == -EBUSY)
		famfs_mount_error(fc, rc, "%s is already mounted", fc->source);
	if (rc)
		goto out;
	sbi->devt = inode->i_rdev;
	if (S_ISBLK(inode->i_mode))
		rc = famfs_pmem_open(&sbi->dev, sbi->devt, sb, sbi->single_host, fc);
	else
		rc = famfs_devdax_open(&sbi->dev, &path, sb, sbi->single_host, fc);
out:
	path_put(&path);
	return rc;
}

static int famfs_make_root(struct super_block *sb)
{
	struct inode *root;

	root = famfs_new_inode(sb, NULL, S_IFDIR | 0755);
	if (!root)
		return -ENOMEM;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static int famfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);	/* moved here by sget_fc() */
	int rc;

	sb->s_magic = FAMFS_SUPER_MAGIC;
	sb->s_op = &famfs_super_ops;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_time_gran = 1;

	/* A bdi of its own, so that writeback reaches famfs_writepages. */
	rc = super_setup_bdi(sb);
	if (rc)
		return rc;
	rc = famfs_open_dev(sb, fc);
	if (rc)
		return rc;
	strscpy(sb->s_id, kbasename(fc->source), sizeof(sb->s_id));
	rc = famfs_check_sb(sbi, fc);
	if (rc)
		return rc;
	rc = famfs_make_root(sb);
	if (rc)
		return rc;
	pr_info("%s: mounted (%llu bytes, log at %llu, %llu bytes)\n",
		sb->s_id, sbi->dev_size, sbi->log_offset, sbi->log_len);
	return 0;
}

static int famfs_get_tree(struct fs_context *fc)
{
	return get_tree_nodev(fc, famfs_fill_super);
}

enum famfs_param {
	Opt_single_host,
	Opt_dax,
};

/* famfs is always DAX: dax=always is accepted and changes nothing. */
static const struct constant_table famfs_dax_modes[] = {
	{ "always", 0 },
	{}
};

static const struct fs_parameter_spec famfs_params[] = {
	fsparam_flag("single_host", Opt_single_host),
	fsparam_enum("dax", Opt_dax, famfs_dax_modes),
	{}
};

/* Unknown options are refused by name; "source" is the VFS's. */
static int famfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct famfs_sb_info *sbi = fc->s_fs_info;
	struct fs_parse_result result;
	int opt;

	if (!strcmp(param->key, "source"))
		return -ENOPARAM;
	opt = fs_parse(fc, famfs_params, param, &result);
	if (opt == -ENOPARAM)
		return famfs_mount_error(fc, -EINVAL, "unknown option \"%s\"",
					 param->key);
	if (opt < 0)
		return opt;
	if (opt == Opt_single_host)
		sbi->single_host = true;
	return 0;
}

static void famfs_free_fc(struct fs_context *fc)
{
	kfree(fc->s_fs_info);
}

static const struct fs_context_operations famfs_context_ops = {
	.free		= famfs_free_fc,
	.parse_param	= famfs_parse_param,
	.get_tree	= famfs_get_tree,
};

static int famfs_init_fs_context(struct fs_context *fc)
{
	struct famfs_sb_info *sbi;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	atomic64_set(&sbi->mapped_bytes, 0);
	atomic64_set(&sbi->logged_bytes, 0);
	famfs_extent_tree_init(&sbi->extents);
	fc->s_fs_info = sbi;
	fc->ops = &famfs_context_ops;
	return 0;
}

static void famfs_kill_sb(struct super_block *sb)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);

	/* Inodes (and their dax entries) go before the device they map. */
	mutex_lock(&famfs_teardown_lock);
	kill_litter_super(sb);
	if (sbi && sbi->dev.close)
		sbi->dev.close(&sbi->dev);
	mutex_unlock(&famfs_teardown_lock);
	if (!sbi)
		return;
	if (sbi->devt)
		famfs_release_dev(sbi->devt);
	kfree(sbi);
}

static struct file_system_type famfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "famfs",
	.init_fs_context	= famfs_init_fs_context,
	.kill_sb		= famfs_kill_sb,
};

static int __init famfs_init(void)
{
	return register_filesystem(&famfs_fs_type);
}

static void __exit famfs_exit(void)
{
	unregister_filesystem(&famfs_fs_type);
}

module_init(famfs_init);
module_exit(famfs_exit);
MODULE_ALIAS_FS("famfs");
MODULE_DESCRIPTION("famfs: a file system for shared (CXL) memory over DAX devices");
MODULE_LICENSE("GPL");
