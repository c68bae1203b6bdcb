"""What lets a rebuild skip work: the build state kept between builds, stamps, fingerprints."""
