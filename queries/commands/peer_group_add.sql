-- peer_group_add: add one park to a peer group (idempotent).
-- Parameters: $group (group name), $park_id (parks.park_id).
insert or ignore into peer_groups (group_name, park_id) values ($group, $park_id)
