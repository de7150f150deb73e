// SPDX-License-Identifier: GPL-2.0
/*
 * warn_test: fires WARN_ON(1) at load time so that `smoke/run --selftest`
 * can prove the harness notices kernel warnings in guest logs.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_test_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit warn_test_exit(void)
{
}

module_init(warn_test_init);
module_exit(warn_test_exit);
MODULE_DESCRIPTION("Planted WARN_ON for the smoke harness self-test");
MODULE_LICENSE("GPL");
