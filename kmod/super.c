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
#include <linux/log2.h>
#include <linux/string.h>
#include "famfs.h"
#include "famfs/format.h"

DEFINE_MUTEX(famfs_teardown_lock);

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

/*
 * Every member counts: its size in f_blocks, its reserved area (member 0:
 * the superblock and log areas; others: the label area) as used.
 */
static int famfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct famfs_sb_info *sbi = FAMFS_SB(dentry->d_sb);
	u64 size = 0, used = max(atomic64_read(&sbi->mapped_bytes),
				 atomic64_read(&sbi->logged_bytes));
	struct famfs_member *m;
	u32 i;

	for (i = 0; i < FAMFS_IOC_MAX_MEMBERS; i++) {
		m = famfs_member(sbi, i);
		if (m) {
			size += m->size;
			used += m->data_start;
		}
	}
	buf->f_type = FAMFS_SUPER_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_frsize = PAGE_SIZE;
	buf->f_blocks = size >> PAGE_SHIFT;
	buf->f_bfree = used < size ? (size - used) >> PAGE_SHIFT : 0;
	buf->f_bavail = buf->f_bfree;
	buf->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations famfs_super_ops = {
	.statfs		= famfs_statfs,
	.drop_inode	= generic_delete_inode,
	.evict_inode	= famfs_evict_inode,
};

/*
 * The log areas: one before format 1.3, where the field is a reserved
 * byte; then what the superblock says, which famfs_check_geometry()
 * holds to 1 .. FAMFS_LOG_AREAS before anything multiplies by it.
 */
static u32 famfs_log_areas(const struct famfs_superblock *fsb)
{
	if (le16_to_cpu(fsb->version_minor) < FAMFS_VERSION_MINOR_COMPACT)
		return 1;
	return le32_to_cpu(fsb->log_areas);
}

/*
 * The member table (format 1.4): ndevices slots inside the superblock
 * area, past the superblock; a file system of several members has one.
 * The kernel reads no slot: user space names each member (MEMBER_ADD) and
 * its label must agree. stripe_count and chunk_size are user space's
 * defaults for new files, unused here: every striped map is checked
 * as it comes (FAMFS_IOC_MAP_CREATE_STRIPED).
 */
static bool famfs_members_table_ok(const struct famfs_superblock *fsb)
{
	u64 off = le64_to_cpu(fsb->members_offset);
	u64 len = (u64)le32_to_cpu(fsb->ndevices) * FAMFS_MEMBER_SLOT_SIZE;

	if (le16_to_cpu(fsb->version_minor) < FAMFS_VERSION_MINOR_MEMBERS)
		return true;
	if (!off)
		return le32_to_cpu(fsb->ndevices) == 1;
	return off >= sizeof(*fsb) && IS_ALIGNED(off, FAMFS_MEMBER_SLOT_SIZE) &&
	       off <= FAMFS_SB_AREA && len <= FAMFS_SB_AREA - off;
}

/*
 * The members the superblock counts: 1 before format 1.4, then 1 ..
 * FAMFS_MAX_DEVICES.
 */
static bool famfs_ndevices_ok(const struct famfs_superblock *fsb)
{
	u32 n = le32_to_cpu(fsb->ndevices);

	if (le16_to_cpu(fsb->version_minor) < FAMFS_VERSION_MINOR_MEMBERS)
		return n == 1;
	return n >= 1 && n <= FAMFS_MAX_DEVICES;
}

/*
 * The host table (format 1.2) and the active-log record (format 1.3) are
 * metadata outside the log: they must lie in the superblock area, past
 * the superblock, which only .meta/.superblock maps. A file could map them
 * otherwise. Two log areas need the record. libfamfs checks the rest
 * (slot size, how many, no overlap).
 */
static int famfs_check_sb_tables(const struct famfs_superblock *fsb,
				 u32 areas, struct fs_context *fc)
{
	u64 hosts_off = le64_to_cpu(fsb->hosts_offset);
	u64 hosts_len = (u64)le32_to_cpu(fsb->hosts_count) *
			le32_to_cpu(fsb->host_slot_size);
	u64 rec_off = le64_to_cpu(fsb->logrec_offset);
	u16 minor = le16_to_cpu(fsb->version_minor);

	if (minor >= FAMFS_VERSION_MINOR_HOSTS && hosts_off &&
	    (hosts_off < sizeof(*fsb) || hosts_off > FAMFS_SB_AREA ||
	     hosts_len > FAMFS_SB_AREA - hosts_off))
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: host table %llu+%llu outside the superblock area",
					 fc->source, hosts_off, hosts_len);
	if (minor < FAMFS_VERSION_MINOR_COMPACT)
		return 0;
	if (!famfs_members_table_ok(fsb))
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: member table of %u slots at %llu outside the superblock area",
					 fc->source, le32_to_cpu(fsb->ndevices),
					 le64_to_cpu(fsb->members_offset));
	if (areas > 1 && !rec_off)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: %u log areas and no active-log record",
					 fc->source, areas);
	if (rec_off && (rec_off < sizeof(*fsb) ||
			!IS_ALIGNED(rec_off, FAMFS_LOGREC_SIZE) ||
			rec_off > FAMFS_SB_AREA -
				  FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE))
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: active-log record at %llu outside the superblock area",
					 fc->source, rec_off);
	return 0;
}

static int famfs_check_geometry(const struct famfs_superblock *fsb,
				u64 dev_size, struct fs_context *fc)
{
	u64 size = le64_to_cpu(fsb->dev_size);
	u64 log_off = le64_to_cpu(fsb->log_offset);
	u64 log_len = le64_to_cpu(fsb->log_len);
	u32 areas = famfs_log_areas(fsb);

	if (le32_to_cpu(fsb->alloc_unit) != FAMFS_ALLOC_UNIT ||
	    !famfs_ndevices_ok(fsb) || fsb->flags ||
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
					 "%s: superblock (format %u.%u): %u log areas, not 1 to %u",
					 fc->source, le16_to_cpu(fsb->version_major),
					 le16_to_cpu(fsb->version_minor), areas,
					 FAMFS_LOG_AREAS);
	/* No wrap: log_off, areas and log_len are bounded far below 2^64 now. */
	if (size > dev_size || size < log_off + areas * log_len + FAMFS_ALLOC_UNIT)
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: size %llu does not fit a device of %llu bytes",
					 fc->source, size, dev_size);
	return famfs_check_sb_tables(fsb, areas, fc);
}

/*
 * Reserved bytes must be zero, up to the CRC. The fields a minor version
 * added are reserved bytes in a superblock of an older one: from
 * hosts_offset before format 1.2, from log_areas before 1.3, from
 * members_offset before 1.4. A newer minor version may give meaning to any
 * of them; this code ignores them then.
 */
static bool famfs_sb_reserved_zero(const struct famfs_superblock *fsb)
{
	u16 minor = le16_to_cpu(fsb->version_minor);
	size_t from = offsetof(struct famfs_superblock, reserved);

	if (minor > FAMFS_VERSION_MINOR)
		return true;
	if (minor < FAMFS_VERSION_MINOR_HOSTS)
		from = offsetof(struct famfs_superblock, hosts_offset);
	else if (minor < FAMFS_VERSION_MINOR_COMPACT)
		from = offsetof(struct famfs_superblock, log_areas);
	else if (fsb->reserved0)
		return false;
	else if (minor < FAMFS_VERSION_MINOR_MEMBERS)
		from = offsetof(struct famfs_superblock, members_offset);
	else if (fsb->reserved1)
		return false;
	return !memchr_inv((const u8 *)fsb + from, 0,
			   offsetof(struct famfs_superblock, crc) - from);
}

/* Magic, CRC and version, in the order that makes the error most telling. */
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
	if (!famfs_sb_reserved_zero(fsb))
		return famfs_mount_error(fc, -EUCLEAN,
					 "%s: superblock: reserved bytes are not zero",
					 fc->source);
	return 0;
}

static int famfs_check_sb(struct famfs_sb_info *sbi, struct fs_context *fc)
{
	struct famfs_member *m0 = sbi->members[0];
	struct famfs_superblock fsb;
	int rc;

	rc = famfs_dev_read_head(&m0->dev, &fsb, sizeof(fsb));
	if (rc)
		return famfs_mount_error(fc, rc, "%s: cannot read the superblock",
					 fc->source);
	rc = famfs_check_sb_header(&fsb, fc);
	if (!rc)
		rc = famfs_check_geometry(&fsb, m0->dev.size, fc);
	if (rc)
		return rc;
	memcpy(sbi->fs_uuid, fsb.fs_uuid, sizeof(sbi->fs_uuid));
	memcpy(m0->uuid, fsb.dev_uuid, sizeof(m0->uuid));
	m0->size = le64_to_cpu(fsb.dev_size);
	sbi->log_offset = le64_to_cpu(fsb.log_offset);
	/* Every log area is metadata: the log file maps them all. */
	sbi->log_areas = famfs_log_areas(&fsb);
	sbi->log_len = le64_to_cpu(fsb.log_len) * sbi->log_areas;
	sbi->alloc_unit = le32_to_cpu(fsb.alloc_unit);
	m0->data_start = sbi->log_offset + sbi->log_len;
	return 0;
}

/*
 * Resolve the mount source to a device inode, then open it by dev_t as
 * member 0. The member is published at once, so that kill_sb undoes
 * whatever part of this a failure left.
 */
static int famfs_open_dev(struct super_block *sb, struct fs_context *fc)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);
	struct famfs_member *m0;
	struct inode *inode;
	struct path path;
	int rc;

	if (!fc->source)
		return famfs_mount_error(fc, -EINVAL, "no device given");
	m0 = kzalloc(sizeof(*m0), GFP_KERNEL);
	if (!m0)
		return -ENOMEM;
	famfs_member_publish(sbi, m0);
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
	m0->devt = inode->i_rdev;
	if (S_ISBLK(inode->i_mode))
		rc = famfs_pmem_open(&m0->dev, m0->devt, sb, sbi->single_host, fc);
	else
		rc = famfs_devdax_open(&m0->dev, &path, sb, sbi->single_host, fc);
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
	pr_info("%s: mounted (%llu bytes, log at %llu, %llu bytes in %u area%s)\n",
		sb->s_id, sbi->members[0]->size, sbi->log_offset, sbi->log_len,
		sbi->log_areas, sbi->log_areas == 1 ? "" : "s");
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
	mutex_init(&sbi->members_lock);
	fc->s_fs_info = sbi;
	fc->ops = &famfs_context_ops;
	return 0;
}

static void famfs_kill_sb(struct super_block *sb)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);

	/* Inodes (and their dax entries) go before the devices they map. */
	mutex_lock(&famfs_teardown_lock);
	kill_litter_super(sb);
	if (sbi)
		famfs_members_close(sbi);
	mutex_unlock(&famfs_teardown_lock);
	if (sbi)
		famfs_members_put(sbi);
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
