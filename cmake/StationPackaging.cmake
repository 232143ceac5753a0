# What the package is called and what it sets up, shared by installer/ (CPack) and tests/package/.
set(STATION_PACKAGE_NAME "provisioning-station")
set(STATION_DEVICE_GROUP "provstation" CACHE STRING
    "Group whose members may open the units' serial and USB devices (udev rules; created by the package)")
# AppStream component id (reverse DNS of the project's domain; the metainfo file is named after it).
set(STATION_APPSTREAM_ID "io.github.provisioning_station.provstation" CACHE STRING "AppStream component id")
set(STATION_DEB_RELEASE 1)
set(STATION_DEB_VERSION "${PROJECT_VERSION}-${STATION_DEB_RELEASE}")
