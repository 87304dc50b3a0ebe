package io.accrete.storage;

class MemStorageTest extends StorageContract {
  @Override
  protected Storage open() {
    return new MemStorage("test");
  }
}
