"""apkg"""
