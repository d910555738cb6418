-- peer_group_delete: remove a saved peer group (all its members).
-- Parameters: $group (group name).
delete from peer_groups where group_name = $group
