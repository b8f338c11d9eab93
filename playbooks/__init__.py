"""Ansible playbooks for a plan: generation (one project per wave), the roles, and running a wave."""
