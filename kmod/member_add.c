// SPDX-License-Identifier: GPL-2.0
/*
 * FAMFS_IOC_MEMBER_ADD and FAMFS_IOC_MEMBER_GET. User space finds a
 * member by its label and hands famfs.ko an open file of the device; the
 * kernel opens it as it opens the mounted device and believes only the
 * label it reads there. Errors of MEMBER_ADD (docs/ioctl.md):
 *
 *   EINVAL       index 0 or beyond FAMFS_IOC_MAX_MEMBERS, reserved fields
 *   EBADF        fd is not an open file
 *   ENOTBLK      fd is not a device (a regular file, a directory)
 *   EACCES       the device node is on a nodev mount
 *   EEXIST       a member of this index was added already
 *   EBUSY        the device is mounted, or a member of a mount
 *   EOPNOTSUPP, ENXIO  the backend cannot use the device (as at mount)
 *   EMEDIUMTYPE  no label on the device (bad magic)
 *   EUCLEAN      a damaged label: CRC, major version, flags, reserved
 *                bytes, a size below one data unit
 *   EXDEV        the label names another file system
 *   EILSEQ       the label names another index
 *   ENOKEY       the label names another member UUID
 *   ENOSPC       the label's size is beyond the device
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/crc32c.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include "famfs.h"
#include "famfs/format.h"

#define famfs_member_reject(sb, fc, index, err, fmt, ...) ({		\
	pr_info_ratelimited("%s: member %u (%s) refused: " fmt "\n",	\
			    (sb)->s_id, (index), (fc)->source,		\
			    ##__VA_ARGS__);				\
	(err);								\
})

/* Reserved bytes are zero, unless a newer minor version wrote the label. */
static bool famfs_label_reserved_zero(const struct famfs_member_label *l)
{
	if (le16_to_cpu(l->version_minor) > FAMFS_VERSION_MINOR)
		return true;
	return !l->flags && !l->reserved0 &&
	       !memchr_inv(l->reserved, 0, sizeof(l->reserved));
}

/* The label itself: magic, CRC, version, reserved bytes. */
static int famfs_label_check(struct super_block *sb, struct fs_context *fc,
			     u32 index, const struct famfs_member_label *l)
{
	u32 crc = ~crc32c(~0U, l, offsetof(struct famfs_member_label, crc));

	if (le64_to_cpu(l->magic) != FAMFS_LABEL_MAGIC)
		return famfs_member_reject(sb, fc, index, -EMEDIUMTYPE,
					   "no famfs member label");
	if (crc != le32_to_cpu(l->crc))
		return famfs_member_reject(sb, fc, index, -EUCLEAN,
					   "label CRC mismatch");
	if (le16_to_cpu(l->version_major) != FAMFS_VERSION_MAJOR)
		return famfs_member_reject(sb, fc, index, -EUCLEAN,
					   "label version %u not supported",
					   le16_to_cpu(l->version_major));
	if (!famfs_label_reserved_zero(l))
		return famfs_member_reject(sb, fc, index, -EUCLEAN,
					   "label flags or reserved bytes are not zero");
	return 0;
}

/* Does the label make the device member @req->index of this file system? */
static int famfs_label_match(struct super_block *sb, struct fs_context *fc,
			     const struct famfs_ioc_member *req,
			     const struct famfs_member_label *l, u64 dev_size)
{
	u64 size = le64_to_cpu(l->size);

	if (memcmp(l->fs_uuid, FAMFS_SB(sb)->fs_uuid, sizeof(l->fs_uuid)))
		return famfs_member_reject(sb, fc, req->index, -EXDEV,
					   "label of another file system (%pUb)",
					   l->fs_uuid);
	if (le32_to_cpu(l->index) != req->index)
		return famfs_member_reject(sb, fc, req->index, -EILSEQ,
					   "label names member %u",
					   le32_to_cpu(l->index));
	if (memcmp(l->uuid, req->uuid, sizeof(l->uuid)))
		return famfs_member_reject(sb, fc, req->index, -ENOKEY,
					   "label names member UUID %pUb, not %pUb",
					   l->uuid, req->uuid);
	if (size < FAMFS_MEMBER_DATA_OFFSET + FAMFS_ALLOC_UNIT)
		return famfs_member_reject(sb, fc, req->index, -EUCLEAN,
					   "label size %llu holds no data", size);
	if (size > dev_size)
		return famfs_member_reject(sb, fc, req->index, -ENOSPC,
					   "label size %llu beyond the device's %llu bytes",
					   size, dev_size);
	return 0;
}

static int famfs_member_read_label(struct super_block *sb,
				   struct fs_context *fc,
				   const struct famfs_ioc_member *req,
				   struct famfs_member *m)
{
	struct famfs_member_label label;
	int rc;

	rc = famfs_dev_read_head(&m->dev, &label, sizeof(label));
	if (rc)
		return famfs_member_reject(sb, fc, req->index, rc,
					   "cannot read the label");
	rc = famfs_label_check(sb, fc, req->index, &label);
	if (!rc)
		rc = famfs_label_match(sb, fc, req, &label, m->dev.size);
	if (rc)
		return rc;
	memcpy(m->uuid, label.uuid, sizeof(m->uuid));
	m->size = le64_to_cpu(label.size);
	m->data_start = FAMFS_MEMBER_DATA_OFFSET;
	return 0;
}

/*
 * Claim and open the device of @file as the mount opens its own: pmem by
 * dev_t, devdax by path. The backends log through an fs_context; this one
 * has no log, so their messages go to the kernel log, naming @fc->source.
 */
static int famfs_member_open(struct super_block *sb, struct fs_context *fc,
			     struct file *file, struct famfs_member *m)
{
	struct inode *inode = file_inode(file);
	bool single_host = FAMFS_SB(sb)->single_host;
	int rc;

	if (!S_ISBLK(inode->i_mode) && !S_ISCHR(inode->i_mode))
		return famfs_member_reject(sb, fc, m->index, -ENOTBLK,
					   "not a device");
	if (file->f_path.mnt->mnt_flags & MNT_NODEV)
		return famfs_member_reject(sb, fc, m->index, -EACCES,
					   "on a nodev mount");
	rc = famfs_claim_dev(inode->i_rdev);
	if (rc)
		return famfs_member_reject(sb, fc, m->index, rc,
					   "mounted, or a member of a mount");
	m->devt = inode->i_rdev;
	if (S_ISBLK(inode->i_mode))
		return famfs_pmem_open(&m->dev, m->devt, sb, single_host, fc);
	return famfs_devdax_open(&m->dev, &file->f_path, sb, single_host, fc);
}

/* Open @file's device as member @req->index and check its label. */
static int famfs_member_setup(struct super_block *sb, struct file *file,
			      const struct famfs_ioc_member *req,
			      struct famfs_member *m)
{
	struct fs_context fc = {};
	char *buf = __getname();
	int rc;

	if (!buf)
		return -ENOMEM;
	fc.source = d_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR(fc.source))
		fc.source = file->f_path.dentry->d_name.name;
	rc = famfs_member_open(sb, &fc, file, m);
	if (!rc)
		rc = famfs_member_read_label(sb, &fc, req, m);
	if (!rc)
		pr_info("%s: member %u: %s, %llu bytes\n", sb->s_id, m->index,
			fc.source, m->size);
	__putname(buf);
	return rc;
}

/* Under members_lock: one add per index, published once complete. */
static int famfs_member_add(struct super_block *sb, struct file *file,
			    const struct famfs_ioc_member *req)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);
	struct famfs_member *m;
	int rc;

	if (sbi->members[req->index])
		return -EEXIST;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->index = req->index;
	rc = famfs_member_setup(sb, file, req, m);
	if (rc) {
		mutex_lock(&famfs_teardown_lock);
		famfs_member_close(m);
		mutex_unlock(&famfs_teardown_lock);
		famfs_member_put(m);
		return rc;
	}
	famfs_member_publish(sbi, m);
	return 0;
}

long famfs_ioc_member_add(struct file *file, void __user *arg)
{
	struct super_block *sb = file_inode(file)->i_sb;
	struct famfs_sb_info *sbi = FAMFS_SB(sb);
	struct famfs_ioc_member req;
	struct file *dev_file;
	long rc;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.index || req.index >= FAMFS_IOC_MAX_MEMBERS ||
	    req.size || req.backend || req.reserved || req.reserved2)
		return -EINVAL;
	if (famfs_failed(sb))
		return -EIO;
	dev_file = fget(req.fd);
	if (!dev_file)
		return -EBADF;
	mutex_lock(&sbi->members_lock);
	rc = famfs_member_add(sb, dev_file, &req);
	mutex_unlock(&sbi->members_lock);
	fput(dev_file);
	return rc;
}

/* Any member, 0 included: what its label (or the superblock) says. */
long famfs_ioc_member_get(struct file *file, void __user *arg)
{
	struct famfs_sb_info *sbi = FAMFS_SB(file_inode(file)->i_sb);
	struct famfs_ioc_member req;
	struct famfs_member *m;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.index >= FAMFS_IOC_MAX_MEMBERS)
		return -EINVAL;
	m = famfs_member(sbi, req.index);
	if (!m)
		return -ENOENT;
	memcpy(req.uuid, m->uuid, sizeof(req.uuid));
	req.size = m->size;
	req.backend = m->dev.backend;
	req.fd = -1;
	req.reserved = 0;
	req.reserved2 = 0;
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}
