public enum SluiceFormatsModule {}
