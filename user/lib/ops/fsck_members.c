// SPDX-License-Identifier: GPL-2.0
/*
 * fsck of the members' labels (format 1.4): each member but 0 is looked
 * for by label on this host. A member this host lacks is no damage of
 * the file system (another host may hold it), so it is a note that says
 * what was found instead.
 */
#include <stdlib.h>

#include "core/internal.h"

void famfs_fsck_members(const char *skip, const struct famfs_fsck_ops *ops,
			struct famfs_fsck_report *rep)
{
	const struct famfs_sb_info *sb = &rep->sb;
	struct famfs_error err = { 0 };
	char *path;
	uint32_t i;

	rep->members_found = 1;
	for (i = 1; i < sb->geo.n_members; i++) {
		if (!famfs_member_find(sb->fs_uuid, &sb->members[i], skip, &path,
				       &err)) {
			rep->members_found++;
			free(path);
			continue;
		}
		rep->notes++;
		if (ops && ops->note)
			ops->note(ops->arg, err.msg);
	}
}
