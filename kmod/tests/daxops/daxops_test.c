// SPDX-License-Identifier: GPL-2.0
/*
 * daxops_test: drive the dax_operations of a device-dax dax_device from
 * user space, for testing the dev_dax_iomap kernel series.
 *
 * Test only: it hands out physical addresses and writes anywhere in the
 * device it is pointed at. Never load it on a system with data to keep.
 *
 * One debugfs file, /sys/kernel/debug/daxops_test/cmd. Write a command,
 * then read the result of that command (one line of key=value pairs):
 *
 *   open MAJ:MIN          dax_dev_get() the dax_device of /dev/daxX.Y
 *   access PGOFF NR [r]   dax_direct_access() (r: DAX_RECOVERY_WRITE mode)
 *                         -> rc=<pages or -errno> pfn=<hex> kphys=<hex>
 *                            word=<hex> (first 8 bytes read through kaddr)
 *   zero PGOFF            dax_zero_page_range(PGOFF, 1)  -> rc=<0 or -errno>
 *   rwrite PGOFF OFF LEN BYTE
 *                         dax_recovery_write() of LEN bytes of value BYTE
 *                         (decimal or 0x hex) at
 *                         byte OFF of page PGOFF -> rc=<bytes written>
 *   claim                 fs_dax_get() exclusivity checks
 *                         -> get=<rc> busy=<rc> again=<rc>
 *   close                 drop the reference taken by open
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/dax.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pfn_t.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#if IS_ENABLED(CONFIG_DEV_DAX_IOMAP)

#define CMD_MAX		128
#define RESULT_MAX	256

static DEFINE_MUTEX(daxops_lock);
static struct dentry *daxops_dir;
static struct dax_device *daxops_dev;
static dev_t daxops_devt;
static char daxops_result[RESULT_MAX];

static int daxops_holder_a, daxops_holder_b;

static int holder_notify_failure(struct dax_device *dax_dev, u64 offset,
				 u64 len, int mf_flags)
{
	pr_info("daxops_test: notify_failure off %#llx len %#llx flags %#x\n",
		offset, len, mf_flags);
	return 0;
}

static const struct dax_holder_operations daxops_hops = {
	.notify_failure = holder_notify_failure,
};

static void result(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(daxops_result, sizeof(daxops_result), fmt, args);
	va_end(args);
}

static void cmd_close(void)
{
	put_dax(daxops_dev);
	daxops_dev = NULL;
}

static int cmd_open(unsigned int major, unsigned int minor)
{
	struct dax_device *dax_dev;

	dax_dev = dax_dev_get(MKDEV(major, minor));
	if (!dax_dev)
		return -ENODEV;
	cmd_close();
	daxops_dev = dax_dev;
	daxops_devt = MKDEV(major, minor);
	return 0;
}

static void cmd_access(unsigned long pgoff, long nr, bool recovery)
{
	enum dax_access_mode mode = recovery ? DAX_RECOVERY_WRITE : DAX_ACCESS;
	void *kaddr = NULL;
	pfn_t pfn = { };
	u64 word = 0;
	long rc;
	int id;

	id = dax_read_lock();
	rc = dax_direct_access(daxops_dev, pgoff, nr, mode, &kaddr, &pfn);
	if (rc > 0)
		word = *(u64 *)kaddr;
	dax_read_unlock(id);

	if (rc > 0)
		result("rc=%ld pfn=%#llx kphys=%#llx word=%#llx\n", rc,
		       (unsigned long long)pfn_t_to_pfn(pfn),
		       (unsigned long long)virt_to_phys(kaddr),
		       (unsigned long long)word);
	else
		result("rc=%ld\n", rc);
}

static void cmd_zero(unsigned long pgoff)
{
	int id, rc;

	id = dax_read_lock();
	rc = dax_zero_page_range(daxops_dev, pgoff, 1);
	dax_read_unlock(id);
	result("rc=%d\n", rc);
}

static void cmd_rwrite(unsigned long pgoff, size_t off, size_t len, u8 val)
{
	struct iov_iter iter;
	struct kvec kvec;
	void *kaddr, *buf;
	long avail;
	size_t rc;
	int id;

	if (off + len > PAGE_SIZE * 512 || !len) {
		result("rc=%d\n", -EINVAL);
		return;
	}
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf) {
		result("rc=%d\n", -ENOMEM);
		return;
	}
	memset(buf, val, len);
	kvec.iov_base = buf;
	kvec.iov_len = len;
	iov_iter_kvec(&iter, ITER_SOURCE, &kvec, 1, len);

	id = dax_read_lock();
	avail = dax_direct_access(daxops_dev, pgoff, PHYS_PFN(off + len - 1) + 1,
				  DAX_RECOVERY_WRITE, &kaddr, NULL);
	if (avail < 0) {
		dax_read_unlock(id);
		kvfree(buf);
		result("rc=%ld\n", avail);
		return;
	}
	/* like fs/dax: never write past what direct_access handed out */
	if (PFN_PHYS(avail) < off + len)
		len = PFN_PHYS(avail) > off ? PFN_PHYS(avail) - off : 0;
	rc = dax_recovery_write(daxops_dev, pgoff, kaddr + off, len, &iter);
	dax_read_unlock(id);
	kvfree(buf);
	result("rc=%zu avail=%ld\n", rc, avail);
}

/* fs_dax_get() contract: exclusive, released by fs_put_dax() */
static void cmd_claim(dev_t devt)
{
	struct dax_device *a, *b;
	int get, busy = 1, again = 1;

	a = dax_dev_get(devt);
	b = dax_dev_get(devt);
	if (!a || !b) {
		put_dax(a);
		put_dax(b);
		result("get=%d\n", -ENODEV);
		return;
	}

	get = fs_dax_get(a, &daxops_holder_a, &daxops_hops);
	if (!get) {
		busy = fs_dax_get(b, &daxops_holder_b, &daxops_hops);
		if (!busy)
			fs_put_dax(b, &daxops_holder_b);
		/* releases the claim and a's reference */
		fs_put_dax(a, &daxops_holder_a);
		again = fs_dax_get(b, &daxops_holder_b, &daxops_hops);
		if (!again)
			fs_put_dax(b, &daxops_holder_b);
		else
			put_dax(b);
	} else {
		put_dax(a);
		put_dax(b);
	}
	result("get=%d busy=%d again=%d\n", get, busy, again);
}

static ssize_t cmd_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	unsigned long long a, b, c;
	long long d;
	char cmd[CMD_MAX], flag[4];
	unsigned int major, minor;
	int n;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';

	mutex_lock(&daxops_lock);
	daxops_result[0] = '\0';
	if (sscanf(cmd, "open %u:%u", &major, &minor) == 2) {
		n = cmd_open(major, minor);
		result("rc=%d\n", n);
	} else if (!strncmp(cmd, "close", 5)) {
		cmd_close();
		result("rc=0\n");
	} else if (!daxops_dev) {
		result("rc=%d\n", -ENODEV);
	} else if ((n = sscanf(cmd, "access %llu %llu %3s", &a, &b, flag)) >= 2) {
		cmd_access(a, b, n == 3 && flag[0] == 'r');
	} else if (sscanf(cmd, "zero %llu", &a) == 1) {
		cmd_zero(a);
	} else if (sscanf(cmd, "rwrite %llu %llu %llu %lli", &a, &b, &c, &d) == 4) {
		cmd_rwrite(a, b, c, d);
	} else if (!strncmp(cmd, "claim", 5)) {
		cmd_claim(daxops_devt);
	} else {
		mutex_unlock(&daxops_lock);
		return -EINVAL;
	}
	mutex_unlock(&daxops_lock);
	return count;
}

static ssize_t cmd_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	ssize_t rc;

	mutex_lock(&daxops_lock);
	rc = simple_read_from_buffer(ubuf, count, ppos, daxops_result,
				     strlen(daxops_result));
	mutex_unlock(&daxops_lock);
	return rc;
}

static const struct file_operations daxops_fops = {
	.owner = THIS_MODULE,
	.write = cmd_write,
	.read = cmd_read,
	.llseek = default_llseek,
};

static int __init daxops_init(void)
{
	daxops_dir = debugfs_create_dir("daxops_test", NULL);
	debugfs_create_file("cmd", 0600, daxops_dir, NULL, &daxops_fops);
	return 0;
}

static void __exit daxops_exit(void)
{
	debugfs_remove_recursive(daxops_dir);
	cmd_close();
}

#else /* !CONFIG_DEV_DAX_IOMAP */

static int __init daxops_init(void)
{
	pr_info("daxops_test: kernel built without CONFIG_DEV_DAX_IOMAP\n");
	return -EOPNOTSUPP;
}

static void __exit daxops_exit(void)
{
}

#endif /* CONFIG_DEV_DAX_IOMAP */

module_init(daxops_init);
module_exit(daxops_exit);
MODULE_DESCRIPTION("Test driver for device-dax dax_operations");
MODULE_LICENSE("GPL");
