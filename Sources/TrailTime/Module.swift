// TrailTime: placeholder so the package builds while the module is written.
