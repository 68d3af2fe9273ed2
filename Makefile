# Build and install fer-cam. `make install PREFIX=/usr/local DESTDIR=` installs the
# binaries, the model, the cascade, the systemd unit, the config example and the
# logrotate file and the manual pages; `make uninstall` removes exactly those.
# `make deb` builds fer-cam_<version>_<arch>.deb in this directory (packaging/build-deb).
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/fer-cam
UNITDIR ?= $(SYSCONFDIR)/systemd/system
MANDIR := $(PREFIX)/share/man/man1

SWIFT_BUILD := swift build -c release

.PHONY: all build install uninstall test deb

all: build

build:
	$(SWIFT_BUILD) --product fer-cam
	$(SWIFT_BUILD) --product fer-train

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/models $(DESTDIR)$(DATADIR)/cascades \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/fer-cam $(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(MANDIR)
	install -m 0755 .build/release/fer-cam .build/release/fer-train $(DESTDIR)$(BINDIR)/
	install -m 0644 models/emotion-cnn.safetensors models/emotion-cnn.md $(DESTDIR)$(DATADIR)/models/
	install -m 0644 cascades/haarcascade_frontalface_default.xml $(DESTDIR)$(DATADIR)/cascades/
	sed 's#@BINDIR@#$(BINDIR)#g' systemd/fer-cam@.service > $(DESTDIR)$(UNITDIR)/fer-cam@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fer-cam@.service
	sed 's#@DATADIR@#$(DATADIR)#g' systemd/fer-cam.conf.example > $(DESTDIR)$(SYSCONFDIR)/fer-cam/example.conf
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/fer-cam/example.conf
	install -m 0644 systemd/fer-cam.logrotate $(DESTDIR)$(SYSCONFDIR)/logrotate.d/fer-cam
	install -m 0644 man/fer-cam.1 man/fer-train.1 $(DESTDIR)$(MANDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fer-cam $(DESTDIR)$(BINDIR)/fer-train
	rm -f $(DESTDIR)$(DATADIR)/models/emotion-cnn.safetensors $(DESTDIR)$(DATADIR)/models/emotion-cnn.md
	rm -f $(DESTDIR)$(DATADIR)/cascades/haarcascade_frontalface_default.xml
	rmdir --ignore-fail-on-non-empty $(DESTDIR)$(DATADIR)/models $(DESTDIR)$(DATADIR)/cascades $(DESTDIR)$(DATADIR) 2>/dev/null || true
	rm -f $(DESTDIR)$(UNITDIR)/fer-cam@.service $(DESTDIR)$(SYSCONFDIR)/fer-cam/example.conf
	rm -f $(DESTDIR)$(SYSCONFDIR)/logrotate.d/fer-cam
	rm -f $(DESTDIR)$(MANDIR)/fer-cam.1 $(DESTDIR)$(MANDIR)/fer-train.1

test:
	scripts/test

deb:
	packaging/build-deb
