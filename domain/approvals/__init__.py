"""Approvals as records: the policy that sends a command to an approver and decides a request
(`policy`), and approvers' stand-ins while they are away (`delegation`)."""
