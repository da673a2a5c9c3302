"""vpp-core's first-party plugins: one module (or package) per rule family, each registered
through the ``vpp`` entry-point group exactly as a third-party plugin is."""
