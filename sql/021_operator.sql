-- 021_operator.sql — the operator console: staff roles, market statuses, indexes for the global order and trade lists

-- Staff carry one staff role (ADMIN, COMPLIANCE or SUPPORT) on top of
-- USER; which routes each may call is declared in the handlers' tables.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
	CHECK (role IN ('USER', 'ADMIN', 'COMPLIANCE', 'SUPPORT'));
CREATE UNIQUE INDEX user_roles_one_staff_role ON user_roles (user_id)
	WHERE role <> 'USER';
